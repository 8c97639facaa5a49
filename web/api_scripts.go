package web

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"outreach/ivr"
	"outreach/media"
	"outreach/prompts"
)

func (s *Server) scriptRoutes() []route {
	return []route{
		{Method: "GET", Path: "/api/scripts", Tag: "scripts", Summary: "Scripts (latest version of each)", Perm: permRead, Handler: s.apiScripts},
		{Method: "POST", Path: "/api/scripts", Tag: "scripts", Summary: "Upload a script (YAML body); stored as a new version when valid, else 422 with diagnostics", Perm: permOperate, Create: true, Upload: true, Handler: s.apiUploadScript},
		{Method: "POST", Path: "/api/scripts/validate", Tag: "scripts", Summary: "Validate a script (YAML body) with ivr.Check", Perm: permRead, Upload: true, Handler: s.apiValidateScript},
		{Method: "GET", Path: "/api/scripts/{id}/versions", Tag: "scripts", Summary: "A script's versions", Perm: permRead, Handler: s.apiScriptVersions},
		{Method: "GET", Path: "/api/scripts/{id}/versions/{version}", Tag: "scripts", Summary: "One version's YAML", Perm: permRead, Handler: s.apiScriptSource},
		{Method: "GET", Path: "/api/scripts/{id}/versions/{version}/prompts/{node}", Tag: "scripts", Summary: "A node's prompt rendered to WAV (sample values)", Perm: permRead, Handler: s.apiPromptAudio},
	}
}

type diagJSON struct {
	Line int    `json:"line"`
	Col  int    `json:"col"`
	Msg  string `json:"message"`
}

type checkJSON struct {
	OK          bool       `json:"ok"`
	Diagnostics []diagJSON `json:"diagnostics"`
	Summary     string     `json:"summary,omitempty"`
	ID          string     `json:"id,omitempty"`
	Version     int        `json:"version,omitempty"`
	Digest      string     `json:"digest,omitempty"`
}

// checkScript runs ivr.Check on src.
func checkScript(src []byte) (checkJSON, ivr.Summary) {
	diags, sum := ivr.Check("script", src, ivr.CheckOptions{})
	out := checkJSON{OK: len(diags) == 0, Diagnostics: []diagJSON{}}
	for _, d := range diags {
		out.Diagnostics = append(out.Diagnostics, diagJSON{d.Line, d.Col, d.Msg})
	}
	if out.OK {
		out.Summary, out.ID, out.Version, out.Digest = sum.String(), sum.ID, sum.Version, sum.Digest
	}
	return out, sum
}

func readBody(r *http.Request) ([]byte, error) {
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, &Error{http.StatusRequestEntityTooLarge, "too_large", "body too large or unreadable"}
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil, errBadRequest("empty body")
	}
	return b, nil
}

func (s *Server) apiValidateScript(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	src, err := readBody(r)
	if err != nil {
		return err
	}
	out, _ := checkScript(src)
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) scripts() (Scripts, error) {
	if s.cfg.Scripts == nil {
		return nil, ErrNotImplemented
	}
	return s.cfg.Scripts, nil
}

func (s *Server) apiUploadScript(w http.ResponseWriter, r *http.Request, p *Principal) error {
	st, err := s.scripts()
	if err != nil {
		return err
	}
	src, err := readBody(r)
	if err != nil {
		return err
	}
	v, err := s.storeScript(r, p, st, src)
	if err != nil {
		if ce, ok := err.(checkError); ok {
			writeJSON(w, http.StatusUnprocessableEntity, ce.out)
			return nil
		}
		return err
	}
	writeJSON(w, http.StatusCreated, v)
	return nil
}

type checkError struct{ out checkJSON }

func (checkError) Error() string { return "script has errors" }

func (s *Server) storeScript(r *http.Request, p *Principal, st Scripts, src []byte) (ScriptVersion, error) {
	out, sum := checkScript(src)
	if !out.OK {
		return ScriptVersion{}, checkError{out}
	}
	v, err := st.Put(r.Context(), ScriptVersion{ID: sum.ID, Digest: sum.Digest, Nodes: sum.Nodes,
		Questions: sum.Questions, Uploaded: s.now(), By: p.Username}, src)
	if err != nil {
		if errorsIsBadID(err) {
			return v, errBadRequest("%v", err)
		}
		return v, err
	}
	s.audit(r.Context(), p.Username, "script.upload", "script:"+v.ID, fmt.Sprintf("version=%d %s", v.Version, v.Digest))
	return v, nil
}

func (s *Server) apiScripts(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	st, err := s.scripts()
	if err != nil {
		return err
	}
	list, err := st.List(r.Context())
	if err != nil {
		return err
	}
	if list == nil {
		list = []ScriptVersion{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"scripts": list})
	return nil
}

func (s *Server) apiScriptVersions(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	st, err := s.scripts()
	if err != nil {
		return err
	}
	vs, err := st.Versions(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	if len(vs) == 0 {
		return errNotFound
	}
	writeJSON(w, http.StatusOK, map[string]any{"versions": vs})
	return nil
}

func (s *Server) scriptSource(r *http.Request) ([]byte, error) {
	st, err := s.scripts()
	if err != nil {
		return nil, err
	}
	ver, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || ver < 0 {
		return nil, errBadRequest("bad version %q", r.PathValue("version"))
	}
	src, _, err := st.Get(r.Context(), r.PathValue("id"), ver)
	return src, err
}

func (s *Server) apiScriptSource(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	src, err := s.scriptSource(r)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/yaml; charset=utf-8")
	_, err = w.Write(src)
	return err
}

func (s *Server) apiPromptAudio(w http.ResponseWriter, r *http.Request, _ *Principal) error {
	if s.cfg.Speaker == nil {
		return ErrNotImplemented
	}
	src, err := s.scriptSource(r)
	if err != nil {
		return err
	}
	sc, err := ivr.Load(src)
	if err != nil {
		return errBadRequest("script: %v", err)
	}
	n := sc.Nodes[r.PathValue("node")]
	if n == nil || n.Say == "" {
		return errNotFound
	}
	pcm, err := s.cfg.Speaker.Render(r.Context(), prompts.Request{Text: sampleText(n.Say, s.cfg.Org),
		Language: prompts.Language(sc.Language)})
	if err != nil {
		return fmt.Errorf("render prompt: %w", err)
	}
	var buf bytes.Buffer
	if err := media.WriteWAV(&buf, pcm, media.SampleRate); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "audio/wav")
	_, err = w.Write(buf.Bytes())
	return err
}
