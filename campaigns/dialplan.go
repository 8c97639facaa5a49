package campaigns

import (
	"errors"
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Dial-plan refusals, wrapped by NormalizePhone and DialPlan.Check.
var (
	ErrInvalidNumber = errors.New("not a valid number")
	ErrInternational = errors.New("international number")
	ErrEmergency     = errors.New("emergency number")
	ErrShortNumber   = errors.New("short number")
	ErrServiceNumber = errors.New("service number (95xxx/96xxx/10xxx)")
	ErrDenied        = errors.New("denied by dial plan")
)

// maxPhoneLen bounds the raw input accepted (longest E.164 plus separators).
const maxPhoneLen = 40

// NormalizePhone turns a number as staff type it (138 1234 5678,
// +86 138 1234 5678, 86-138-1234-5678, 0086 13812345678, 021-12345678) into
// E.164 (+8613812345678) under the default dial plan: Chinese mobile and
// landline numbers only; international, emergency, short and service
// numbers are refused with a wrapped sentinel error.
func NormalizePhone(raw string) (string, error) {
	return DialPlan{}.Check(raw)
}

// DialPlan is the allowlist applied before a number is dialed. The zero value
// allows Chinese mobile and landline numbers only.
type DialPlan struct {
	// AllowCountries lists extra calling codes allowed (e.g. 852); empty means CN only.
	AllowCountries []int32
	// Deny lists E.164 prefixes refused even when otherwise valid (e.g. "+86170").
	Deny []string
}

// Check normalizes raw to E.164 and applies the plan.
func (p DialPlan) Check(raw string) (string, error) {
	digits, plus, err := cleanPhone(raw)
	if err != nil {
		return "", err
	}
	if !plus {
		if err := refuseShort(digits); err != nil {
			return "", err
		}
	}
	in := digits
	switch {
	case plus:
		in = "+" + digits
	case strings.HasPrefix(digits, "00"):
		in = "+" + digits[2:]
	case strings.HasPrefix(digits, "86") && len(digits) >= 12 && digits[2] != '0':
		in = "+" + digits
	}
	num, err := phonenumbers.Parse(in, "CN")
	if err != nil {
		return "", fmt.Errorf("phone: %w: %v", ErrInvalidNumber, err)
	}
	cc := num.GetCountryCode()
	if cc != 86 && !containsCC(p.AllowCountries, cc) {
		return "", fmt.Errorf("phone: +%d: %w", cc, ErrInternational)
	}
	if cc == 86 {
		if err := refuseShort(fmt.Sprint(num.GetNationalNumber())); err != nil {
			return "", err
		}
	}
	if !phonenumbers.IsValidNumber(num) {
		return "", fmt.Errorf("phone: %w", ErrInvalidNumber)
	}
	switch phonenumbers.GetNumberType(num) {
	case phonenumbers.MOBILE, phonenumbers.FIXED_LINE, phonenumbers.FIXED_LINE_OR_MOBILE:
	default:
		return "", fmt.Errorf("phone: type %d: %w", phonenumbers.GetNumberType(num), ErrDenied)
	}
	e164 := phonenumbers.Format(num, phonenumbers.E164)
	for _, d := range p.Deny {
		if d != "" && strings.HasPrefix(e164, d) {
			return "", fmt.Errorf("phone: prefix %s: %w", d, ErrDenied)
		}
	}
	return e164, nil
}

func containsCC(list []int32, cc int32) bool {
	for _, c := range list {
		if c == cc {
			return true
		}
	}
	return false
}

// cleanPhone keeps digits and a leading '+', dropping common separators.
func cleanPhone(raw string) (digits string, plus bool, err error) {
	if len(raw) > maxPhoneLen {
		return "", false, fmt.Errorf("phone: too long: %w", ErrInvalidNumber)
	}
	var b strings.Builder
	for i, r := range strings.TrimSpace(raw) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			plus = true
		case r == ' ' || r == '-' || r == '(' || r == ')' || r == '.' || r == '\u3000':
		default:
			return "", false, fmt.Errorf("phone: unexpected character: %w", ErrInvalidNumber)
		}
	}
	if b.Len() == 0 {
		return "", false, fmt.Errorf("phone: empty: %w", ErrInvalidNumber)
	}
	return b.String(), plus, nil
}

// refuseShort rejects emergency, short and service numbers given as national digits.
func refuseShort(d string) error {
	if len(d) <= 8 && (phonenumbers.IsEmergencyNumber(d, "CN") || chinaEmergency(d)) {
		return fmt.Errorf("phone: %w", ErrEmergency)
	}
	if len(d) <= 8 && (strings.HasPrefix(d, "95") || strings.HasPrefix(d, "96") || strings.HasPrefix(d, "10")) {
		return fmt.Errorf("phone: %w", ErrServiceNumber)
	}
	if len(d) < 7 {
		return fmt.Errorf("phone: %w", ErrShortNumber)
	}
	if len(d) <= 8 && d[0] != '0' {
		// a local landline without its area code cannot be dialed through a trunk
		return fmt.Errorf("phone: no area code: %w", ErrShortNumber)
	}
	return nil
}

// chinaEmergency covers CN emergency numbers the metadata lacks
// (122 traffic accidents, 12395 water rescue, 12110 SMS police).
func chinaEmergency(d string) bool {
	switch d {
	case "110", "119", "120", "122", "12395", "12110", "999":
		return true
	}
	return false
}
