package settings

import (
	"reflect"
	"strings"
)

// field is one setting of Values: its JSON name and struct field index.
type field struct {
	name  string
	index int
	kind  fieldKind
}

// fieldKind is the shape of a setting's value.
type fieldKind int

const (
	kindString fieldKind = iota
	kindBool
	kindNumber
	kindList
	kindMap
)

// fields lists every setting of Values in declaration order; the JSON tags
// are the single source of the names.
var fields = func() []field {
	t := reflect.TypeFor[Values]()
	out := make([]field, 0, t.NumField())
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		var k fieldKind
		switch f.Type {
		case reflect.TypeFor[*string]():
			k = kindString
		case reflect.TypeFor[*bool]():
			k = kindBool
		case reflect.TypeFor[*float64]():
			k = kindNumber
		case reflect.TypeFor[[]string]():
			k = kindList
		case reflect.TypeFor[map[string]string]():
			k = kindMap
		default:
			panic("settings: unsupported field type " + f.Type.String())
		}
		out = append(out, field{name: name, index: i, kind: k})
	}
	return out
}()

// FieldNames returns the JSON names of every non-secret setting, in the
// order Values declares them.
func FieldNames() []string {
	out := make([]string, len(fields))
	for i, f := range fields {
		out[i] = f.name
	}
	return out
}

// value is the struct field of f in v.
func (f field) value(v *Values) reflect.Value {
	return reflect.ValueOf(v).Elem().Field(f.index)
}

// normalize trims every text, and unsets what is left empty: a blank
// string, a list or map with no entries. Core treats these as unset anyway,
// so storing them as unset keeps "unset" one thing.
func normalize(v *Values) {
	for _, f := range fields {
		rv := f.value(v)
		switch f.kind {
		case kindString:
			if rv.IsNil() {
				continue
			}
			if s := strings.TrimSpace(rv.Elem().String()); s == "" {
				rv.SetZero()
			} else {
				rv.Set(reflect.ValueOf(&s))
			}
		case kindList:
			var list []string
			for _, s := range rv.Interface().([]string) {
				if s = strings.TrimSpace(s); s != "" {
					list = append(list, s)
				}
			}
			rv.Set(reflect.ValueOf(list))
		case kindMap:
			var m map[string]string
			for k, val := range rv.Interface().(map[string]string) {
				if k = strings.TrimSpace(k); k != "" || strings.TrimSpace(val) != "" {
					if m == nil {
						m = map[string]string{}
					}
					m[k] = strings.TrimSpace(val)
				}
			}
			rv.Set(reflect.ValueOf(m))
		}
	}
	for _, p := range []**string{&v.LogLevel, &v.ProxyLogLevel, &v.CookieSameSite, &v.TracingProvider, &v.IdentityProvider} {
		if *p != nil {
			s := strings.ToLower(**p)
			*p = &s
		}
	}
	if v.DNSLookupFamily != nil {
		s := strings.ToUpper(*v.DNSLookupFamily)
		v.DNSLookupFamily = &s
	}
}
