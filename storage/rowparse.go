package storage

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"outreach/mask"
)

// importRow is one valid row, sealed and ready to copy.
type importRow struct {
	line      int
	hash      []byte
	fp        uint64 // first 8 bytes of hash, for in-file duplicates
	name      string
	phoneEnc  []byte
	phonesEnc []byte
	idEnc     []byte
	addrEnc   []byte
	notesEnc  []byte
	community string
	grid      string
	household string
	tags      string
	language  string
	reason    string
	start     time.Time
	release   time.Time
}

// rowParser validates and seals rows; safe for concurrent use.
type rowParser struct {
	h    headerMap
	ring interface {
		SealString(string) []byte
		Index(string) []byte
	}
	phone *phoneNormalizer
	opt   *ImportOptions
	today time.Time
	area  *importArea // nil: no area check
}

// errEmptyRow marks a row with no content (skipped silently).
var errEmptyRow = errors.New("empty row")

func (p *rowParser) parse(line int, cells []string) (importRow, error) {
	if blank(cells) {
		return importRow{}, errEmptyRow
	}
	g := func(c column) string { return p.h.get(cells, c) }
	r := importRow{line: line, name: g(colName), community: g(colCommunity), grid: g(colGrid),
		household: g(colHousehold), language: g(colLanguage), reason: g(colReason)}
	if r.name == "" {
		return r, errors.New("missing name (姓名)")
	}
	if r.community == "" {
		r.community = p.opt.Community
	}
	phones := splitPhones(g(colPhone))
	if len(phones) == 0 {
		return r, errors.New("missing phone (电话)")
	}
	norm := make([]string, 0, len(phones))
	for _, ph := range phones {
		e164, err := p.phone.normalize(ph)
		if err != nil {
			return r, fmt.Errorf("bad phone %s: %w", mask.Phone(ph), err)
		}
		norm = append(norm, e164)
	}
	idn := strings.ToUpper(g(colIDNumber))
	if idn != "" && !validIDNumber(idn) {
		return r, fmt.Errorf("bad ID number %s", mask.Phone(idn))
	}
	var err error
	if r.start, err = parseDate(g(colStart)); err != nil {
		return r, fmt.Errorf("bad start date: %w", err)
	}
	if r.release, err = parseDate(g(colRelease)); err != nil {
		return r, fmt.Errorf("bad release date: %w", err)
	}
	if r.start.IsZero() && !r.release.IsZero() {
		r.start = p.today
	}
	if !r.release.IsZero() && r.release.Before(r.start) {
		return r, errors.New("release date before start date")
	}
	tags := splitList(strings.ReplaceAll(g(colTags), "，", ","))
	if p.opt.List != "" {
		tags = append(tags, p.opt.List)
	}
	r.tags = strings.Join(tags, ",")
	r.hash = p.ring.Index(norm[0])
	for i := range 8 {
		r.fp = r.fp<<8 | uint64(r.hash[i])
	}
	r.phoneEnc = p.ring.SealString(norm[0])
	r.phonesEnc = p.ring.SealString(strings.Join(norm[1:], ","))
	r.idEnc = p.ring.SealString(idn)
	r.addrEnc = p.ring.SealString(g(colAddress))
	r.notesEnc = p.ring.SealString(g(colNotes))
	return r, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// splitPhones splits "138.../139..." or "138...；139..." into numbers.
func splitPhones(s string) []string {
	f := strings.FieldsFunc(s, func(r rune) bool {
		return r == '/' || r == ';' || r == '；' || r == ',' || r == '，' || r == '、' || r == '\n'
	})
	out := f[:0]
	for _, p := range f {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// validIDNumber checks an 18-character resident identity number (GB 11643):
// 17 digits and an ISO 7064 MOD 11-2 check character (0-9 or X).
func validIDNumber(s string) bool {
	if len(s) != 18 {
		return false
	}
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := range 17 {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i]
	}
	return s[17] == "10X98765432"[sum%11]
}

var dateLayouts = []string{"2006-01-02", "2006/1/2", "2006.1.2", "20060102", "2006-1-2", "2006年1月2日",
	"2006-01-02 15:04:05", "2006/1/2 15:04"}

// parseDate reads a calendar date as staff type it, or an Excel serial date.
func parseDate(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return day(t), nil
		}
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 20000 && f < 80000 {
		t, err := excelize.ExcelDateToTime(f, false)
		if err == nil {
			return day(t), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (use 2006-01-02)", s)
}
