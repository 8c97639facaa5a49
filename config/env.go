package config

import (
	"fmt"
	"strconv"
	"time"
)

// applyEnv overrides top-level settings from OUTREACH_* variables, so a
// container can be configured without a file. Secrets (trunk passwords) can
// be given as OUTREACH_TRUNK_<N>_PASSWORD.
func applyEnv(c *Config, env func(string) (string, bool)) error {
	str := map[string]*string{
		"OUTREACH_TIMEZONE":         &c.Timezone,
		"OUTREACH_DATA_DIR":         &c.DataDir,
		"OUTREACH_LOG_LEVEL":        &c.Log.Level,
		"OUTREACH_LOG_FORMAT":       &c.Log.Format,
		"OUTREACH_DATABASE":         &c.Database,
		"OUTREACH_REDIS":            &c.Redis,
		"OUTREACH_SIP_LISTEN":       &c.SIP.Listen,
		"OUTREACH_SIP_PUBLIC_ADDR":  &c.SIP.PublicAddr,
		"OUTREACH_KEY_FILE":         &c.KeyFile,
		"OUTREACH_ORG":              &c.Org,
		"OUTREACH_API_LISTEN":       &c.API.Listen,
		"OUTREACH_WEBHOOK_URL":      &c.Webhook.URL,
		"OUTREACH_WEBHOOK_SECRET":   &c.Webhook.Secret,
		"OUTREACH_PROMPTS_HTTP_KEY": &c.Prompts.HTTPKey,
		"OUTREACH_ASR_KEY":          &c.ASR.Key,
	}
	for k, p := range str {
		if v, ok := env(k); ok {
			*p = v
		}
	}
	if v, ok := env("OUTREACH_RTP_MEDIA_TIMEOUT"); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			return fmt.Errorf("OUTREACH_RTP_MEDIA_TIMEOUT: %w", err)
		}
		c.RTP.MediaTimeout = d
	}
	for i := range c.Trunks {
		if v, ok := env("OUTREACH_TRUNK_" + strconv.Itoa(i) + "_PASSWORD"); ok {
			c.Trunks[i].Password = v
		}
	}
	return nil
}
