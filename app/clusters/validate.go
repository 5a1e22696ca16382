package clusters

import (
	"crypto/x509"
	"encoding/pem"
	"net/url"
	"strings"

	"github.com/pomerium-console-oss/pomerium-console/app/databroker"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	"github.com/pomerium-console-oss/pomerium-console/app/nstree"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// normalize trims what a form adds around values; the secret is kept as
// sent, since Pomerium refuses surrounding whitespace and so must we.
func normalize(in *Input) {
	in.Name = strings.TrimSpace(in.Name)
	in.NamespaceID = strings.TrimSpace(in.NamespaceID)
	in.DatabrokerURL = strings.TrimSpace(in.DatabrokerURL)
	in.CAPEM = strings.TrimSpace(in.CAPEM)
	in.OverrideName = strings.TrimSpace(in.OverrideName)
}

// validate checks in for a cluster that will have a shared secret when
// hasSecret is true; it reports every problem at once.
func validate(v *errs.Validator, tree *nstree.Tree, in Input, hasSecret bool) {
	v.Name("name", in.Name, MaxNameLength)
	switch _, ok := tree.Get(in.NamespaceID); {
	case in.NamespaceID == "":
		v.Add("namespaceId", errs.CodeRequired, "choose the namespace whose routes the cluster serves")
	case !ok:
		v.Add("namespaceId", errs.CodeNotFound, "there is no namespace with id %q", in.NamespaceID)
	}
	tls := checkURL(v, in.DatabrokerURL)
	if in.SharedSecret != "" {
		if _, err := databroker.DecodeSharedSecret(in.SharedSecret); err != nil {
			v.Add("sharedSecret", errs.CodeInvalid, "%s", strings.TrimPrefix(err.Error(), "databroker: "))
		}
	}
	if in.DatabrokerURL != "" && !hasSecret && !v.Has("sharedSecret") {
		v.Add("sharedSecret", errs.CodeRequired, "enter Pomerium's shared_secret: the databroker refuses calls without it")
	}
	if in.CAPEM != "" {
		checkCA(v, in.CAPEM)
	}
	if strings.ContainsAny(in.OverrideName, " /\t\n") {
		v.Add("overrideCertificateName", errs.CodeInvalid, "must be a host name, such as databroker.internal")
	}
	if !tls {
		for field, set := range map[string]bool{
			"certificateAuthority": in.CAPEM != "", "overrideCertificateName": in.OverrideName != "",
			"insecureSkipVerify": in.InsecureSkipVerify,
		} {
			if set && !v.Has(field) && !v.Has("databrokerServiceUrl") {
				v.Add(field, errs.CodeInvalid, "only applies to an https:// databroker URL")
			}
		}
	}
}

// checkURL checks a databroker URL as the client dials it and reports
// whether it uses TLS.
func checkURL(v *errs.Validator, raw string) bool {
	if raw == "" {
		return false
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		v.Add("databrokerServiceUrl", errs.CodeInvalid, "is not a URL")
	case u.Scheme != "http" && u.Scheme != "https":
		v.Add("databrokerServiceUrl", errs.CodeInvalid, "must start with http:// (plaintext h2c, Pomerium's default) or https:// (TLS)")
	case u.Hostname() == "":
		v.Add("databrokerServiceUrl", errs.CodeInvalid, "has no host")
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil:
		v.Add("databrokerServiceUrl", errs.CodeInvalid, "must be only scheme, host and port, such as http://pomerium:5443")
	default:
		return u.Scheme == "https"
	}
	return strings.HasPrefix(raw, "https://")
}

// checkCA accepts one or more PEM certificates and nothing else.
func checkCA(v *errs.Validator, caPEM string) {
	if len(caPEM) > MaxCALength {
		v.Add("certificateAuthority", errs.CodeTooLong, "must be at most %d KiB", MaxCALength>>10)
		return
	}
	rest, n := []byte(caPEM), 0
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			v.Add("certificateAuthority", errs.CodeInvalid, "holds a %s block; only certificates belong here", block.Type)
			return
		}
		if _, err := x509.ParseCertificate(block.Bytes); err != nil {
			v.Add("certificateAuthority", errs.CodeInvalid, "certificate %d does not parse: %v", n+1, err)
			return
		}
		n++
	}
	if n == 0 || strings.TrimSpace(string(rest)) != "" {
		v.Add("certificateAuthority", errs.CodeInvalid, "must be PEM certificates (-----BEGIN CERTIFICATE-----)")
	}
}

// bindingProblem names what is wrong with binding a cluster (other than
// id) to nsID: Global belongs to the default cluster, and a namespace
// serves one cluster only.
func bindingProblem(clusters []db.Cluster, id, nsID string) (string, bool) {
	if nsID == db.GlobalNamespaceID && id != db.DefaultClusterID {
		return "Global is served by the default cluster; bind this cluster to a namespace below it", true
	}
	for _, c := range clusters {
		if c.NamespaceID == nsID && c.ID != id {
			return "cluster “" + c.Name + "” already serves this namespace", true
		}
	}
	return "", false
}
