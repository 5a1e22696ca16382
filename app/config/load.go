package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strconv"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
)

// Load reads the YAML file at path ("" means no file), applies environment
// overrides found through lookupEnv (nil reads none), then defaults, then
// Validate. Errors name the file and line, or the key, or the variable.
func Load(path string, lookupEnv func(string) (string, bool)) (*Config, error) {
	cfg := &Config{}
	var p problems
	if path != "" {
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, fmt.Errorf("config: %w", err)
		}
		p = append(p, cfg.decodeFile(path, data)...)
	}
	if lookupEnv != nil {
		p = append(p, cfg.applyEnv(lookupEnv)...)
	}
	if err := p.err(); err != nil {
		return nil, err
	}
	cfg.applyDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// ResolvePath picks the config file: an explicit --config must exist (an
// explicit empty value means "no file"); otherwise DefaultPath is used only
// when it exists.
func ResolvePath(flagValue string, flagSet bool) (string, error) {
	return resolvePath(flagValue, flagSet, DefaultPath)
}

func resolvePath(flagValue string, flagSet bool, defaultPath string) (string, error) {
	if flagSet {
		if flagValue == "" {
			return "", nil
		}
		if err := checkConfigFile(flagValue); err != nil {
			return "", fmt.Errorf("config: --config %s: %w", flagValue, err)
		}
		return flagValue, nil
	}
	err := checkConfigFile(defaultPath)
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("config: %s: %w", defaultPath, err)
	}
	return defaultPath, nil
}

func checkConfigFile(path string) error {
	fi, err := os.Stat(path)
	if errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("file does not exist: %w", fs.ErrNotExist)
	}
	if err != nil {
		return err
	}
	if fi.IsDir() {
		return errors.New("is a directory, not a file")
	}
	return nil
}

// decodeFile walks the YAML mapping key by key, so every unknown key and
// every badly typed value is reported with its line, and no value (which may
// be a secret) ends up in a message.
func (c *Config) decodeFile(path string, data []byte) problems {
	var p problems
	file, err := parser.ParseBytes(data, 0)
	if err != nil {
		p.add("%s", yamlError(path, err))
		return p
	}
	if len(file.Docs) > 1 {
		p.add("%s: holds %d YAML documents, want one", path, len(file.Docs))
		return p
	}
	if len(file.Docs) == 0 || file.Docs[0].Body == nil {
		return nil // an empty file, or only comments
	}
	body := file.Docs[0].Body
	mapping, ok := body.(*ast.MappingNode)
	if !ok {
		p.add("%s:%d: must be a mapping of keys to values", path, body.GetToken().Position.Line)
		return p
	}
	byKey := map[string]field{}
	for _, f := range fields() {
		byKey[f.key] = f
	}
	for _, mv := range mapping.Values {
		tk := mv.Key.GetToken()
		key, line := tk.Value, tk.Position.Line
		f, known := byKey[key]
		if !known {
			p.add("%s:%d: unknown key %q", path, line, key)
			continue
		}
		node := mv.Value
		if anchor, ok := node.(*ast.AnchorNode); ok {
			node = anchor.Value
		}
		target := c.value(f)
		if _, ok := node.(*ast.AliasNode); ok {
			p.add("%s:%d: %s: YAML aliases are not supported", path, line, key)
			continue
		}
		if err := yaml.NodeToValue(node, target.Addr().Interface()); err != nil {
			p.add("%s:%d: %s: must be %s", path, line, key, kindWant(target))
		}
	}
	return p
}

// yamlError renders a parser error as "file:line: message" without the
// source excerpt, which could show a secret.
func yamlError(path string, err error) string {
	var ye yaml.Error
	if errors.As(err, &ye) {
		if tk := ye.GetToken(); tk != nil {
			return fmt.Sprintf("%s:%d: %s", path, tk.Position.Line, ye.GetMessage())
		}
		return fmt.Sprintf("%s: %s", path, ye.GetMessage())
	}
	return fmt.Sprintf("%s: %v", path, err)
}

// applyEnv overrides keys from the environment: KEY for every key, and
// KEY_FILE for secrets. An empty variable counts as unset, as in Pomerium.
func (c *Config) applyEnv(lookupEnv func(string) (string, bool)) problems {
	var p problems
	for _, f := range fields() {
		raw, name, err := envValue(f, lookupEnv)
		if err != nil {
			p.add("%v", err)
			continue
		}
		if name == "" {
			continue
		}
		v := c.value(f)
		switch v.Kind() {
		case reflect.Bool:
			b, err := strconv.ParseBool(strings.TrimSpace(raw))
			if err != nil {
				p.add("%s: must be true or false (got %q)", name, raw)
				continue
			}
			v.SetBool(b)
		case reflect.Slice:
			v.Set(reflect.ValueOf(splitList(raw)))
		default:
			v.SetString(raw)
		}
	}
	return p
}

// envValue returns the raw value for f and the variable it came from ("" when unset).
func envValue(f field, lookupEnv func(string) (string, bool)) (string, string, error) {
	direct, hasDirect := lookupEnv(f.env)
	hasDirect = hasDirect && direct != ""
	if !f.secret {
		if !hasDirect {
			return "", "", nil
		}
		return direct, f.env, nil
	}
	fileVar := f.env + "_FILE"
	file, hasFile := lookupEnv(fileVar)
	hasFile = hasFile && file != ""
	switch {
	case hasDirect && hasFile:
		return "", "", fmt.Errorf("%s and %s are both set; set one", f.env, fileVar)
	case hasDirect:
		return direct, f.env, nil
	case hasFile:
		b, err := os.ReadFile(file)
		if err != nil {
			return "", "", fmt.Errorf("%s: %w", fileVar, err)
		}
		return strings.TrimRight(string(b), "\r\n"), fileVar, nil
	}
	return "", "", nil
}

// splitList reads a comma-separated list, dropping blanks.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
