package dialer

import (
	"os"
	"runtime/debug"
	"testing"
)

// The target applies unless GOGC is set, and the target in force is
// reported either way.
func TestApplyGCPercent(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, tc := range []struct {
		env  string
		set  bool
		in   int
		want int
	}{
		{in: 0, want: DefaultGCPercent},
		{in: 250, want: 250},
		{env: "150", set: true, in: 400, want: 150},
		{env: "off", set: true, in: 400, want: -1},
	} {
		if tc.set {
			t.Setenv("GOGC", tc.env)
		} else {
			unsetenv(t, "GOGC")
		}
		got := ApplyGCPercent(tc.in)
		if got != tc.want {
			t.Errorf("GOGC=%q, ApplyGCPercent(%d) = %d, want %d", tc.env, tc.in, got, tc.want)
		}
		if !tc.set {
			if cur := debug.SetGCPercent(100); cur != tc.want {
				t.Errorf("ApplyGCPercent(%d) left the target at %d", tc.in, cur)
			}
		}
	}
}

// unsetenv removes key for the rest of the test (t.Setenv records and
// restores the old value first).
func unsetenv(t *testing.T, key string) {
	t.Setenv(key, "")
	if err := os.Unsetenv(key); err != nil {
		t.Fatal(err)
	}
}
