package campaigns

import (
	"errors"
	"testing"
)

func TestNormalizePhone(t *testing.T) {
	ok := map[string]string{
		"13812345678":       "+8613812345678",
		"138 1234 5678":     "+8613812345678",
		"138-1234-5678":     "+8613812345678",
		"+86 138 1234 5678": "+8613812345678",
		"86-138-1234-5678":  "+8613812345678",
		"8613812345678":     "+8613812345678",
		"0086 13812345678":  "+8613812345678",
		"021-12345678":      "+862112345678",
		"(021) 1234 5678":   "+862112345678",
		"010-62345678":      "+861062345678",
		"+86 21 1234 5678":  "+862112345678",
		" 199 0000 1111 ":   "+8619900001111",
		"０":                 "",
	}
	for in, want := range ok {
		got, err := NormalizePhone(in)
		if want == "" {
			if err == nil {
				t.Errorf("NormalizePhone(%q) accepted", in)
			}
			continue
		}
		if err != nil || got != want {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := map[string]error{
		"110":              ErrEmergency,
		"119":              ErrEmergency,
		"120":              ErrEmergency,
		"122":              ErrEmergency,
		"95588":            ErrServiceNumber,
		"96110":            ErrServiceNumber,
		"10086":            ErrServiceNumber,
		"12345":            ErrShortNumber,
		"12345678":         ErrShortNumber,
		"+1 650 253 0000":  ErrInternational,
		"001 650 253 0000": ErrInternational,
		"+852 6123 4567":   ErrInternational,
		"1381234567":       ErrInvalidNumber,
		"138123456789":     ErrInvalidNumber,
		"":                 ErrInvalidNumber,
		"abc":              ErrInvalidNumber,
		"138;12345678":     ErrInvalidNumber,
	}
	for in, want := range bad {
		if got, err := NormalizePhone(in); !errors.Is(err, want) {
			t.Errorf("NormalizePhone(%q) = %q, %v; want %v", in, got, err, want)
		}
	}
}

func TestDialPlanOptions(t *testing.T) {
	p := DialPlan{AllowCountries: []int32{852}, Deny: []string{"+86170"}}
	if got, err := p.Check("+852 6123 4567"); err != nil || got != "+85261234567" {
		t.Fatalf("allowed country: %q %v", got, err)
	}
	if _, err := p.Check("17012345678"); !errors.Is(err, ErrDenied) {
		t.Fatalf("denied prefix: %v", err)
	}
}

func FuzzNormalizePhone(f *testing.F) {
	for _, s := range []string{"13812345678", "+86 138 1234 5678", "0086-21-12345678", "110", "95588", "+1 650", "８６", "++86", "86", "0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e164, err := NormalizePhone(s)
		if err != nil {
			return
		}
		again, err := NormalizePhone(e164)
		if err != nil || again != e164 {
			t.Fatalf("not idempotent: %q → %q → %q, %v", s, e164, again, err)
		}
		if len(e164) < 12 || e164[:3] != "+86" {
			t.Fatalf("%q → %q: not a Chinese E.164 number", s, e164)
		}
	})
}
