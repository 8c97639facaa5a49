package web

import (
	"bytes"
	"encoding/csv"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"outreach/storage"
)

// upload is a file kept between the import preview and its confirmation.
type upload struct {
	data    []byte
	name    string
	user    string
	expires time.Time
}

// uploadCache keeps the last few previewed files for 30 minutes.
type uploadCache struct {
	mu  sync.Mutex
	now func() time.Time
	max int
	m   map[string]upload
}

func newUploadCache(now func() time.Time, max int) *uploadCache {
	return &uploadCache{now: now, max: max, m: map[string]upload{}}
}

func (c *uploadCache) put(u upload) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	for id, x := range c.m {
		if now.After(x.expires) || len(c.m) >= c.max {
			delete(c.m, id)
		}
	}
	id := randomToken()
	u.expires = now.Add(30 * time.Minute)
	c.m[id] = u
	return id
}

// take returns and forgets the upload id of user.
func (c *uploadCache) take(id, user string) (upload, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	u, ok := c.m[id]
	if !ok || u.user != user || c.now().After(u.expires) {
		return upload{}, false
	}
	delete(c.m, id)
	return u, true
}

func (s *Server) importPage(w http.ResponseWriter, r *http.Request, p *Principal) error {
	s.render(w, r, p, http.StatusOK, "import", pageData{Title: message(langOf(r), "import"), Active: "residents",
		Data: map[string]any{}})
	return nil
}

type columnRow struct {
	Header, Field string
}

// importPreview dry-runs the import of the uploaded file and shows the
// column mapping and the report; the file waits for confirmation.
func (s *Server) importPreview(w http.ResponseWriter, r *http.Request, p *Principal) error {
	f, hdr, err := r.FormFile("file")
	if err != nil {
		return errBadRequest("file: %v", err)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return errBadRequest("file: %v", err)
	}
	format := strings.ToLower(filepath.Ext(hdr.Filename))
	opt := storage.ImportOptions{Community: r.PostFormValue("community"), List: r.PostFormValue("list"),
		DryRun: true, ErrorsPath: "-", Actor: p.Username}
	rep, err := s.cfg.Residents.Import(r.Context(), p.Scope, bytes.NewReader(data), format, opt)
	d := map[string]any{"Community": opt.Community, "List": opt.List, "Name": hdr.Filename}
	if err != nil {
		d["Failed"] = err.Error()
	} else {
		d["Report"] = viewImport(rep)
		d["Upload"] = s.uploads.put(upload{data: data, name: hdr.Filename, user: p.Username})
	}
	d["Columns"] = s.columns(data, format)
	s.render(w, r, p, http.StatusOK, "import", pageData{Title: message(langOf(r), "import"), Active: "residents", Data: d})
	return nil
}

func (s *Server) importConfirm(w http.ResponseWriter, r *http.Request, p *Principal) error {
	u, ok := s.uploads.take(r.PostFormValue("upload"), p.Username)
	if !ok {
		return errBadRequest("the previewed file has expired; upload it again")
	}
	opt := storage.ImportOptions{Community: r.PostFormValue("community"), List: r.PostFormValue("list"),
		ErrorsPath: "-", Actor: p.Username}
	rep, err := s.cfg.Residents.Import(r.Context(), p.Scope, bytes.NewReader(u.data), strings.ToLower(filepath.Ext(u.name)), opt)
	if err != nil {
		return err
	}
	s.render(w, r, p, http.StatusOK, "import", pageData{Title: message(langOf(r), "import"), Active: "residents",
		Data: map[string]any{"Report": viewImport(rep), "Done": true, "Name": u.name}})
	return nil
}

// HeaderMapper names the field each header cell is read as ("" = ignored);
// storage may implement it so the preview shows its exact mapping.
type HeaderMapper interface {
	MapHeader(cells []string) []string
}

// columns reads the file's header row and maps it.
func (s *Server) columns(data []byte, format string) []columnRow {
	cells := headerRow(data, format)
	var fields []string
	if m, ok := s.cfg.Residents.(HeaderMapper); ok {
		fields = m.MapHeader(cells)
	} else {
		for _, c := range cells {
			fields = append(fields, guessField(c))
		}
	}
	var out []columnRow
	for i, c := range cells {
		if i < len(fields) {
			out = append(out, columnRow{c, fields[i]})
		}
	}
	return out
}

// headerRow returns the first non-empty row of an .xlsx or .csv.
func headerRow(data []byte, format string) []string {
	if format == ".xlsx" || format == ".xlsm" {
		x, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			return nil
		}
		defer x.Close()
		rows, err := x.Rows(x.GetSheetName(0))
		if err != nil {
			return nil
		}
		defer rows.Close()
		for rows.Next() {
			cols, err := rows.Columns()
			if err == nil && strings.TrimSpace(strings.Join(cols, "")) != "" {
				return cols
			}
		}
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data[:min(len(data), 4096)]) {
		if dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data[:min(len(data), 65536)]); err == nil {
			data = dec
		}
	}
	rec, err := csv.NewReader(bytes.NewReader(data)).Read()
	if err != nil && len(rec) == 0 {
		return nil
	}
	return rec
}

// guessField is the preview's fallback mapping (storage's importer decides).
func guessField(h string) string {
	k := strings.ToLower(strings.Join(strings.Fields(h), ""))
	for field, names := range map[string][]string{
		"name": {"姓名", "名字", "居民姓名", "name"}, "phone": {"电话", "手机", "手机号", "手机号码", "联系电话", "电话号码", "联系方式", "phone", "mobile", "tel"},
		"id_number": {"身份证", "身份证号", "身份证号码", "证件号码", "id_number"}, "address": {"地址", "住址", "家庭住址", "居住地址", "address"},
		"community": {"社区", "所属社区", "community"}, "grid": {"网格", "所属网格", "grid"},
		"start": {"开始日期", "开始时间", "观察开始日期", "start", "start_date"}, "release": {"解除日期", "解除时间", "解除观察日期", "release", "release_date"},
		"notes": {"备注", "notes", "note", "remark"}, "household": {"户号", "household"}, "tags": {"标签", "tags"},
		"language": {"语言", "language"}, "reason": {"原因", "观察原因", "reason"},
	} {
		for _, n := range names {
			if k == n {
				return field
			}
		}
	}
	return ""
}
