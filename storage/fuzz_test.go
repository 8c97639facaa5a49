package storage

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"testing"
)

// FuzzImportRows feeds arbitrary bytes to the CSV reader, the header mapper
// and the row parser (everything an import does before the database): no
// panic, and every accepted row has a normalised phone and its index.
func FuzzImportRows(f *testing.F) {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.WriteAll(sampleRows())
	f.Add(b.Bytes())
	f.Add(append(append([]byte(nil), utf8BOM...), "姓名,电话\n张三,13812345678\n"...))
	f.Add([]byte("name,phone,start,release\nA,+86 138 1234 5678,45000,2026-01-02\n\"x\n"))
	f.Add([]byte{0xd0, 0xd5, 0xc3, 0xfb, ',', 0xb5, 0xe7, 0xbb, 0xb0, '\n'}) // GBK 姓名,电话
	ring := FixedRing(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		tr, _, err := newCSVReader(bytes.NewReader(data))
		if err != nil {
			return
		}
		h, err := readHeader(tr)
		if err != nil {
			return
		}
		p := &rowParser{h: h, ring: ring, phone: &phoneNormalizer{}, opt: &ImportOptions{}}
		for range 1000 {
			line, cells, err := tr.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if err != nil {
				continue
			}
			r, err := p.parse(line, cells)
			if err == nil && (len(r.hash) != 32 || r.phoneEnc == nil || r.name == "") {
				t.Fatalf("accepted row without phone or name: %+v", r)
			}
		}
	})
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2026-11-20", "2026/1/2", "20261120", "45000", "2026年1月2日", "x", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := parseDate(s)
		if err == nil && s != "" && (d.Hour() != 0 || d.Location().String() != "UTC") {
			t.Fatalf("%q → %v: not a UTC midnight", s, d)
		}
	})
}

func FuzzPhoneFastPath(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "0086-13812345678", "021-12345678", "110", "+1 212"} {
		f.Add(s)
	}
	var p phoneNormalizer
	f.Fuzz(func(t *testing.T, s string) {
		got, err := p.normalize(s)
		if err == nil && (!strings.HasPrefix(got, "+") || len(got) < 8) {
			t.Fatalf("%q → %q", s, got)
		}
	})
}

func TestValidIDNumber(t *testing.T) {
	cases := map[string]bool{idNumber(1): true, idNumber(77): true, "11010119900307123X": false,
		"110101199003071233": true, "110101199003071234": false, "1101011990030712": false, "abcdefghijklmnopqr": false}
	for in, want := range cases {
		if got := validIDNumber(in); got != want {
			t.Errorf("validIDNumber(%q) = %v", in, got)
		}
	}
}

func TestParseHeader(t *testing.T) {
	h, err := parseHeader([]string{"\ufeff姓名", " 手机号码 ", "身份证号*", "ADDRESS", "所属社区", "x"})
	if err != nil {
		t.Fatal(err)
	}
	if h[colName] != 0 || h[colPhone] != 1 || h[colIDNumber] != 2 || h[colAddress] != 3 || h[colCommunity] != 4 || h[colGrid] != -1 {
		t.Fatalf("header map %v", h)
	}
	if _, err := parseHeader([]string{"姓名", "地址"}); err == nil {
		t.Fatal("header without a phone column accepted")
	}
}
