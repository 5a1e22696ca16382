package ppl

import (
	"encoding/base64"
	"strings"

	"golang.org/x/crypto/ssh"
)

// deviceKeys are the keys of a device value.
var deviceKeys = []string{"is", "approved", "type"}

// defaultDeviceType is Core's device type when none is given.
const defaultDeviceType = "any"

func parseDevice(c *checker, path string, v any) Data {
	obj, ok := c.object(path, v, strings.Join(deviceKeys, ", "))
	if !ok {
		return nil
	}
	d := Device{Type: defaultDeviceType}
	for _, m := range obj {
		at := child(path, m.Key)
		var good bool
		switch m.Key {
		case "is":
			d.Is, good = c.text(at, m.Val, "a device credential id")
		case "type":
			d.Type, good = c.text(at, m.Val, "a device type such as any or enclave_only")
		case "approved":
			var b bool
			if b, good = m.Val.(bool); good {
				d.Approved = &b
			} else {
				c.errorf(at, "expected true or false, got %s", describe(m.Val))
			}
		default:
			c.errorf(path, "%s", unknown("key", m.Key, deviceKeys, true))
		}
		ok = ok && good
	}
	if !ok {
		return nil
	}
	return d
}

// parseSSHKeys reads authorized_keys lines into base64 wire format, the
// form input.ssh.publickey arrives in.
func parseSSHKeys(c *checker, path string, v any) Data {
	items, ok := c.stringList(path, v, "an authorized_keys line")
	keys := make(SSHKeys, 0, len(items))
	for _, it := range items {
		key, _, _, rest, err := ssh.ParseAuthorizedKey([]byte(it.value))
		switch {
		case err != nil:
			c.errorf(it.path, "%s is not an authorized_keys public key", quote(it.value))
			ok = false
		case strings.TrimSpace(string(rest)) != "":
			// Core reads only the first key of a string; the rest would be
			// dropped without a word.
			c.errorf(it.path, "the string holds more than one line; give each key its own list item")
			ok = false
		default:
			keys = append(keys, base64.StdEncoding.EncodeToString(key.Marshal()))
		}
	}
	if !ok {
		return nil
	}
	return keys
}
