package storage

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// Format is an export file format.
type Format uint8

// Export formats.
const (
	FormatXLSX Format = iota
	FormatCSV
)

// String returns "xlsx" or "csv".
func (f Format) String() string {
	if f == FormatCSV {
		return "csv"
	}
	return "xlsx"
}

// ParseFormat reads "xlsx" or "csv".
func ParseFormat(s string) (Format, error) {
	switch s {
	case "xlsx", ".xlsx":
		return FormatXLSX, nil
	case "csv", ".csv":
		return FormatCSV, nil
	}
	return 0, fmt.Errorf("export format %q: want xlsx or csv", s)
}

// sheetWriter writes a table row by row.
type sheetWriter interface {
	Row(cells []any) error
	Close() error
}

func newSheetWriter(w io.Writer, f Format, sheet string) (sheetWriter, error) {
	if f == FormatCSV {
		if _, err := w.Write(utf8BOM); err != nil { // Excel reads UTF-8 CSV only with a BOM
			return nil, err
		}
		return &csvSheet{w: csv.NewWriter(w)}, nil
	}
	x := excelize.NewFile()
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return nil, err
	}
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return nil, err
	}
	return &xlsxSheet{f: x, sw: sw, out: w}, nil
}

type csvSheet struct {
	w   *csv.Writer
	buf []string
}

func (c *csvSheet) Row(cells []any) error {
	c.buf = c.buf[:0]
	for _, v := range cells {
		c.buf = append(c.buf, fmt.Sprint(v))
	}
	return c.w.Write(c.buf)
}

func (c *csvSheet) Close() error {
	c.w.Flush()
	return c.w.Error()
}

// xlsxSheet writes through excelize's stream writer: rows go to a temporary
// file, not memory.
type xlsxSheet struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	out io.Writer
	n   int
}

func (x *xlsxSheet) Row(cells []any) error {
	x.n++
	cell, err := excelize.CoordinatesToCellName(1, x.n)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, cells)
}

func (x *xlsxSheet) Close() error {
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return err
	}
	return x.f.Write(x.out)
}
