package rtp

import (
	"testing"
	"time"
)

func TestConfigDefaultsAndErrors(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
		ok   bool
	}{
		{"defaults", func(*Config) {}, true},
		{"inverted range", func(c *Config) { c.PortMin, c.PortMax = 20000, 10000 }, false},
		{"port too high", func(c *Config) { c.PortMin, c.PortMax = 10000, 70000 }, false},
		{"negative port", func(c *Config) { c.PortMin = -2 }, false},
		{"payload type > 127", func(c *Config) { c.AudioPT = 200 }, false},
		{"event PT equals audio", func(c *Config) { c.AudioPT, c.EventPT = 8, 8 }, false},
		{"jitter depth capped", func(c *Config) { c.JitterDepth = 50 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := testCfg()
			tt.mod(&c)
			got, err := c.withDefaults()
			if (err == nil) != tt.ok {
				t.Fatalf("err %v, want ok=%v", err, tt.ok)
			}
			if err != nil {
				return
			}
			if got.Logger == nil || got.Now == nil || got.LatchTimeout != DefaultLatchTimeout ||
				got.FrameBuffer != DefaultFrameBuffer || got.JitterDepth < 1 || got.JitterDepth >= jitterSlots {
				t.Fatalf("defaults not applied: %+v", got)
			}
		})
	}
	c := testCfg()
	c.LatchTimeout, c.FrameBuffer = time.Second, 4
	got, _ := c.withDefaults()
	if got.LatchTimeout != time.Second || got.FrameBuffer != 4 || got.JitterDepth != DefaultJitterDepth {
		t.Fatalf("explicit values overridden: %+v", got)
	}
}
