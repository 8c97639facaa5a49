package storage

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"
)

// tableReader streams the rows of a spreadsheet: Next returns the 1-based
// line (row) number and the cells, and io.EOF at the end.
type tableReader interface {
	Next() (line int, cells []string, err error)
	Close() error
}

// sniffSize is how much of a CSV file decides its encoding.
const sniffSize = 64 << 10

// utf8BOM is the byte-order mark Excel writes before UTF-8 CSV.
var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// newCSVReader reads UTF-8 (with or without BOM) or, when the first 64 KiB
// are not valid UTF-8, GB18030 (a superset of GBK, which Excel in China writes).
func newCSVReader(r io.Reader) (tableReader, string, error) {
	br := bufio.NewReaderSize(r, sniffSize)
	head, err := br.Peek(sniffSize)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, "", fmt.Errorf("read csv: %w", err)
	}
	enc := "utf-8"
	var src io.Reader = br
	switch {
	case bytes.HasPrefix(head, utf8BOM):
		_, _ = br.Discard(len(utf8BOM))
	case !validUTF8Prefix(head, len(head) == sniffSize):
		enc = "gb18030"
		src = transform.NewReader(br, simplifiedchinese.GB18030.NewDecoder())
	}
	c := csv.NewReader(src)
	c.FieldsPerRecord = -1
	c.LazyQuotes = true
	c.ReuseRecord = true
	return &csvTable{r: c}, enc, nil
}

// validUTF8Prefix checks b, allowing a rune cut at the end when truncated.
func validUTF8Prefix(b []byte, truncated bool) bool {
	if utf8.Valid(b) {
		return true
	}
	if !truncated {
		return false
	}
	for cut := 1; cut <= utf8.UTFMax && cut < len(b); cut++ {
		if utf8.Valid(b[:len(b)-cut]) {
			return true
		}
	}
	return false
}

type csvTable struct{ r *csv.Reader }

func (t *csvTable) Next() (int, []string, error) {
	rec, err := t.r.Read()
	if err != nil {
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return pe.StartLine, nil, fmt.Errorf("line %d: %w", pe.StartLine, err)
		}
		return 0, nil, err
	}
	line, _ := t.r.FieldPos(0)
	return line, rec, nil
}

func (t *csvTable) Close() error { return nil }

// xlsxTable streams the first sheet of a workbook.
type xlsxTable struct {
	f    *excelize.File
	rows *excelize.Rows
	line int
}

func newXLSXReader(r io.Reader) (tableReader, error) {
	f, err := excelize.OpenReader(r)
	if err != nil {
		return nil, fmt.Errorf("read xlsx: %w", err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, errors.New("read xlsx: no sheet")
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("read xlsx: %w", err)
	}
	return &xlsxTable{f: f, rows: rows}, nil
}

func (t *xlsxTable) Next() (int, []string, error) {
	if !t.rows.Next() {
		if err := t.rows.Error(); err != nil {
			return 0, nil, fmt.Errorf("read xlsx: %w", err)
		}
		return 0, nil, io.EOF
	}
	t.line++
	cells, err := t.rows.Columns(excelize.Options{RawCellValue: true})
	if err != nil {
		return t.line, nil, fmt.Errorf("read xlsx row %d: %w", t.line, err)
	}
	for i, c := range cells {
		cells[i] = numberText(c)
	}
	return t.line, cells, nil
}

func (t *xlsxTable) Close() error {
	t.rows.Close()
	return t.f.Close()
}

// numberText turns a raw numeric cell in exponent form (1.3812345678E+10)
// into its integer digits; other values are returned unchanged.
func numberText(s string) string {
	if !strings.ContainsAny(s, "eE") || strings.ContainsFunc(s, func(r rune) bool { return r > 0x7f }) {
		return s
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1e18 {
		return s
	}
	return strconv.FormatFloat(f, 'f', 0, 64)
}
