package ivr

import (
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// digest hashes the canonical form of the YAML tree: mappings in the order
// written (branch order matters), scalars with their resolved tag, and no
// comments, quoting or layout. Reformatting a script keeps its digest;
// changing any word changes it.
func digest(doc *yaml.Node) string {
	h := sha256.New()
	canon(h, doc, 0)
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

func canon(h hash.Hash, n *yaml.Node, depth int) {
	if n == nil || depth > 64 {
		h.Write([]byte("~"))
		return
	}
	if n.Anchor != "" {
		h.Write([]byte("&" + strconv.Quote(n.Anchor)))
	}
	switch n.Kind {
	case yaml.DocumentNode:
		for _, c := range n.Content {
			canon(h, c, depth+1)
		}
	case yaml.AliasNode:
		// By name, not expanded: nested aliases would grow exponentially.
		h.Write([]byte("*" + strconv.Quote(n.Value)))
	case yaml.MappingNode:
		h.Write([]byte("{"))
		for _, c := range n.Content {
			canon(h, c, depth+1)
			h.Write([]byte(","))
		}
		h.Write([]byte("}"))
	case yaml.SequenceNode:
		h.Write([]byte("["))
		for _, c := range n.Content {
			canon(h, c, depth+1)
			h.Write([]byte(","))
		}
		h.Write([]byte("]"))
	default:
		h.Write([]byte(n.ShortTag() + strconv.Quote(n.Value)))
	}
}
