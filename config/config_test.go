package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestExampleLoadsAndDocumentsEveryKey(t *testing.T) {
	c, err := Load("example.yaml", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if c.Trunks[0].Name != "freeswitch" || c.Timezone != "Asia/Shanghai" {
		t.Fatalf("unexpected %+v", c)
	}
	b, _ := os.ReadFile("example.yaml")
	for _, key := range yamlKeys(reflect.TypeOf(Config{})) {
		if !strings.Contains(string(b), key+":") {
			t.Errorf("example.yaml does not document %q", key)
		}
	}
}

func yamlKeys(t reflect.Type) []string {
	var keys []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		keys = append(keys, f.Tag.Get("yaml"))
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct && ft.PkgPath() == t.PkgPath() {
			keys = append(keys, yamlKeys(ft)...)
		}
	}
	return keys
}

func TestEmptyConfigGetsDefaults(t *testing.T) {
	c, err := Load("", func(string) (string, bool) { return "", false })
	if err != nil {
		t.Fatal(err)
	}
	if c.RTP.PortMin != 20000 || c.SIP.Listen != "0.0.0.0:5080" || c.Database != "" {
		t.Fatalf("defaults not applied: %+v", c)
	}
}

func TestEnvOverrides(t *testing.T) {
	env := map[string]string{"OUTREACH_REDIS": "redis://127.0.0.1:6379/0", "OUTREACH_TIMEZONE": "UTC"}
	c, err := Load("", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		t.Fatal(err)
	}
	if c.Redis != env["OUTREACH_REDIS"] || c.Timezone != "UTC" {
		t.Fatalf("env not applied: %+v", c)
	}
}

func TestValidateNamesFields(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"timezone: Mars/Olympus", "timezone: unknown time zone"},
		{"trunks: [{name: a, addr: nohost}]", "trunks[0].addr:"},
		{"trunks: [{name: a, addr: 'h:1', transport: sctp}]", "trunks[0].transport:"},
		{"trunks: [{name: a, addr: 'h:1'}, {name: a, addr: 'h:2'}]", "trunks[1].name:"},
		{"trunks: [{name: a, addr: 'h:1', caller_id: \"1\\r\\nX: y\"}]", "trunks[0].caller_id:"},
		{"trunks: [{name: a, addr: 'h:1', rewrite: [{match: '('}]}]", "trunks[0].rewrite[0].match:"},
		{"rtp: {port_min: 5000, port_max: 4000}", "rtp: port range"},
		{"database: mysql://x", "database: must be"},
		{"asr: {engine: template}", "asr.template_dir: required"},
		{"asr: {engine: kaldi}", "asr.engine:"},
		{"robot: {gc_percent: 10}", "robot.gc_percent:"},
		{"robot: {procs: -1}", "robot.procs:"},
		{"nosuchkey: 1", "field nosuchkey not found"},
	} {
		p := filepath.Join(t.TempDir(), "c.yaml")
		os.WriteFile(p, []byte(tc.yaml), 0o600)
		_, err := Load(p, func(string) (string, bool) { return "", false })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want it to contain %q", tc.yaml, err, tc.want)
		}
	}
}

func TestEveryDocumentedEnvVarIsRead(t *testing.T) {
	b, _ := os.ReadFile("example.yaml")
	header := strings.SplitN(string(b), "\n\n", 2)[0]
	for _, f := range strings.FieldsFunc(header, func(r rune) bool { return r == ' ' || r == ',' || r == '\n' || r == '.' }) {
		if !strings.HasPrefix(f, "OUTREACH_") || strings.Contains(f, "<N>") {
			continue
		}
		seen := false
		_, err := Load("", func(k string) (string, bool) {
			if k == f {
				seen = true
			}
			return "", false
		})
		if err != nil {
			t.Fatal(err)
		}
		if !seen {
			t.Errorf("%s is documented in example.yaml but never read", f)
		}
	}
}
