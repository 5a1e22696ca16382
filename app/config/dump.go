package config

import (
	"fmt"
	"regexp"

	"github.com/goccy/go-yaml"

	"github.com/pomerium-console-oss/pomerium-console/db/dbopen"
)

// Redaction markers shown instead of secret values.
const (
	Set    = "(set)"
	NotSet = "(not set)"
)

// Redacted returns the effective configuration keyed by YAML key, with
// secrets replaced by Set/NotSet and any password in database_url masked.
func (c *Config) Redacted() map[string]any {
	out := map[string]any{}
	for _, item := range c.redacted() {
		out[item.Key.(string)] = item.Value
	}
	return out
}

// Dump renders the effective configuration as YAML, secrets redacted, in
// the order of the Config struct; for `config dump` and the About page.
func (c *Config) Dump() string {
	b, err := yaml.Marshal(c.redacted())
	if err != nil {
		// Only strings, bools and string lists are marshalled, which cannot fail.
		return fmt.Sprintf("# config: dump failed: %v\n", err)
	}
	return string(b)
}

func (c *Config) redacted() yaml.MapSlice {
	out := make(yaml.MapSlice, 0, len(fields()))
	for _, f := range fields() {
		v := c.value(f).Interface()
		switch {
		case f.secret && c.value(f).String() != "":
			v = Set
		case f.secret:
			v = NotSet
		case f.key == "database_url":
			v = redactURL(c.DatabaseURL)
		}
		out = append(out, yaml.MapItem{Key: f.key, Value: v})
	}
	return out
}

// passwordParam matches a password given as a URL query parameter, which
// pgx accepts too.
var passwordParam = regexp.MustCompile(`(?i)([?&]password=)[^&]*`)

// redactURL masks every password of a database URL. dbopen.Redact masks
// only the user-info one, hence the extra step.
func redactURL(s string) string {
	return passwordParam.ReplaceAllString(dbopen.Redact(s), "${1}xxxxx")
}
