package followup

import (
	"fmt"
	"strconv"
	"strings"
)

// YesNo is an answer that may be missing.
type YesNo uint8

// YesNo values.
const (
	Unanswered YesNo = iota
	Yes
	No
)

var yesNoNames = [...]string{"unanswered", "yes", "no"}

// String returns "unanswered", "yes" or "no".
func (y YesNo) String() string {
	if int(y) < len(yesNoNames) {
		return yesNoNames[y]
	}
	return fmt.Sprintf("yes_no(%d)", uint8(y))
}

// MarshalText implements encoding.TextMarshaler.
func (y YesNo) MarshalText() ([]byte, error) { return []byte(y.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (y *YesNo) UnmarshalText(b []byte) error {
	for i, n := range yesNoNames {
		if n == string(b) {
			*y = YesNo(i)
			return nil
		}
	}
	return fmt.Errorf("parse yes/no %q: unknown", b)
}

// Need is something a resident asked the community for.
type Need uint8

// Needs.
const (
	NeedMedicine Need = iota + 1
	NeedFood
	NeedHelp // any other help
)

var needNames = [...]string{"", "medicine", "food", "help"}

// String returns "medicine", "food" or "help".
func (n Need) String() string {
	if n > 0 && int(n) < len(needNames) {
		return needNames[n]
	}
	return fmt.Sprintf("need(%d)", uint8(n))
}

// MarshalText implements encoding.TextMarshaler.
func (n Need) MarshalText() ([]byte, error) { return []byte(n.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (n *Need) UnmarshalText(b []byte) error {
	for i, s := range needNames {
		if i > 0 && s == string(b) {
			*n = Need(i)
			return nil
		}
	}
	return fmt.Errorf("parse need %q: unknown", b)
}

// Mapping says which script answer keys feed the normalized fields of a
// health record. An empty key leaves its field unanswered.
type Mapping struct {
	Identity    string   // yes_no: the resident confirmed it is them
	Temperature string   // number (°C)
	Symptoms    []string // yes_no keys; each "yes" adds the key to Record.Symptoms
	LeftHome    string   // yes_no
	Contact     string   // yes_no: recent close contact
	Needs       string   // choice (values below) or yes_no (yes = help)
	NeedValues  map[string]Need
	NoNeed      []string // choice values meaning "nothing needed"
}

// DefaultMapping matches scripts/samples/daily-health-check.zh.yaml (and its
// English twin).
func DefaultMapping() Mapping {
	return Mapping{
		Identity:    "identity",
		Temperature: "temperature",
		Symptoms:    []string{"cough", "fatigue", "taste_smell"},
		LeftHome:    "left_home",
		Contact:     "contact",
		Needs:       "needs",
		NeedValues:  map[string]Need{"medicine": NeedMedicine, "food": NeedFood, "help": NeedHelp},
		NoNeed:      []string{"none"},
	}
}

// normalize derives r's normalized fields from r.Answers.
func (m Mapping) normalize(r *Record) {
	r.Confirmed = m.yesNo(r.Answers, m.Identity)
	r.Temperature = m.number(r.Answers, m.Temperature)
	r.LeftHome = m.yesNo(r.Answers, m.LeftHome)
	r.Contact = m.yesNo(r.Answers, m.Contact)
	r.Symptoms = nil
	for _, k := range m.Symptoms {
		if m.yesNo(r.Answers, k) == Yes {
			r.Symptoms = append(r.Symptoms, k)
		}
	}
	r.Needs = m.needs(r.Answers)
}

func (m Mapping) yesNo(ans map[string]any, key string) YesNo {
	v, ok := ans[key]
	if key == "" || !ok {
		return Unanswered
	}
	switch x := v.(type) {
	case bool:
		if x {
			return Yes
		}
		return No
	case string:
		switch strings.ToLower(x) {
		case "yes", "true", "1":
			return Yes
		case "no", "false", "2":
			return No
		}
	}
	return Unanswered
}

// number returns the answer as a float; 0 means not answered.
func (m Mapping) number(ans map[string]any, key string) float64 {
	v, ok := ans[key]
	if key == "" || !ok {
		return 0
	}
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		if err == nil {
			return f
		}
	}
	return 0
}

func (m Mapping) needs(ans map[string]any) []Need {
	v, ok := ans[m.Needs]
	if m.Needs == "" || !ok {
		return nil
	}
	switch x := v.(type) {
	case bool:
		if x {
			return []Need{NeedHelp}
		}
	case string:
		for _, n := range m.NoNeed {
			if x == n {
				return nil
			}
		}
		if n, ok := m.NeedValues[x]; ok {
			return []Need{n}
		}
		if x != "" {
			return []Need{NeedHelp}
		}
	}
	return nil
}
