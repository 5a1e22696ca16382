package configyaml

import (
	"encoding/base64"
	"os"
)

// pemCert is a certificate of the shared fixture; b64PEM is it as Core's
// inline options take it.
var (
	pemCert = func() string {
		b, err := os.ReadFile("../render/rendertest/pem/wildcard.pem")
		if err != nil {
			panic(err)
		}
		return string(b)
	}()
	b64PEM = base64.StdEncoding.EncodeToString([]byte(pemCert))
)

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
