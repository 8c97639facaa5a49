// Package deploycheck statically checks the shipped FreeSWITCH gateway
// configuration (FreeSWITCH itself is not packaged for this platform, so it
// cannot run in the test suite; the Kamailio configuration runs for real in
// internal/e2e). The checks hold the hardening promises of docs/deploy.md.
package deploycheck

import (
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const dir = "../../deploy/freeswitch"

type param struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

func params(t *testing.T, file string) map[string]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	d := xml.NewDecoder(strings.NewReader(string(b)))
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if se, ok := tok.(xml.StartElement); ok && se.Name.Local == "param" {
			var p param
			if err := d.DecodeElement(&p, &se); err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			m[p.Name] = p.Value
		}
	}
	if len(m) == 0 {
		t.Fatalf("%s: no params found", file)
	}
	return m
}

func TestEveryFileIsWellFormed(t *testing.T) {
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() || !strings.HasSuffix(p, ".xml") {
			return err
		}
		b, _ := os.ReadFile(p)
		d := xml.NewDecoder(strings.NewReader(string(b)))
		for {
			if _, err := d.Token(); err != nil {
				if err.Error() == "EOF" {
					return nil
				}
				t.Errorf("%s: %v", p, err)
				return nil
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestProfileDemandsAuthAndACL(t *testing.T) {
	p := params(t, "sip_profiles/outreach.xml")
	for k, want := range map[string]string{"auth-calls": "true", "apply-inbound-acl": "outreach_robots",
		"accept-blind-auth": "false", "accept-blind-reg": "false", "inbound-codec-prefs": "PCMA,PCMU"} {
		if p[k] != want {
			t.Errorf("outreach profile %s = %q, want %q", k, p[k], want)
		}
	}
}

func TestEventSocketHardened(t *testing.T) {
	p := params(t, "autoload_configs/event_socket.conf.xml")
	if p["listen-ip"] != "127.0.0.1" || strings.EqualFold(p["password"], "ClueCon") || p["apply-inbound-acl"] == "" {
		t.Errorf("event socket not hardened: %v", p)
	}
}

func TestNoXMLRPC(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(dir, "autoload_configs/modules.conf.xml"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Load []struct {
			Module string `xml:"module,attr"`
		} `xml:"modules>load"`
	}
	if err := xml.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Load) == 0 {
		t.Fatal("no modules parsed")
	}
	for _, l := range doc.Load {
		if l.Module == "mod_xml_rpc" || l.Module == "mod_verto" {
			t.Errorf("%s must not be loaded", l.Module)
		}
	}
}
