package grpcapi

import (
	"encoding/base64"

	"github.com/pomerium-console-oss/pomerium-console/app/clusters"
	"github.com/pomerium-console-oss/pomerium-console/app/errs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// clusterMessage is the Cluster message of c. The shared secret is never
// returned.
func clusterMessage(c db.Cluster) *pb.Cluster {
	insecure := c.InsecureSkipVerify
	m := &pb.Cluster{
		Id: c.ID, Name: c.Name, DatabrokerServiceUrl: c.DatabrokerURL, InsecureSkipVerify: &insecure,
		CreatedAt: pbTime(c.CreatedAt), ModifiedAt: pbTime(c.ModifiedAt),
	}
	if c.OverrideName != "" {
		name := c.OverrideName
		m.OverrideCertificateName = &name
	}
	if c.CAPEM != "" {
		m.CertificateAuthority = []byte(c.CAPEM)
	}
	return m
}

// clusterInput is the clusters service's input for m. An empty
// shared_secret keeps the stored one (it is never returned, so a client
// cannot send it back).
func clusterInput(m *pb.Cluster) (clusters.Input, error) {
	var v errs.Validator
	if m.GetCertificateAuthorityFile() != "" {
		v.Add("cluster.certificate_authority_file", errs.CodeInvalid,
			"is not supported: the console does not read files for clusters; send the PEM in certificate_authority")
	}
	if err := v.Err(); err != nil {
		return clusters.Input{}, err
	}
	return clusters.Input{
		Name: m.GetName(), DatabrokerURL: m.GetDatabrokerServiceUrl(), SharedSecret: sharedSecretText(m.GetSharedSecret()),
		CAPEM: string(m.GetCertificateAuthority()), OverrideName: m.GetOverrideCertificateName(),
		InsecureSkipVerify: m.GetInsecureSkipVerify(),
	}, nil
}

// sharedSecretText is the base64 text Pomerium's shared_secret holds. The
// field is bytes, so clients send either that text or the raw key. Text is
// printable ASCII and is kept as sent, so that a mistyped secret is
// refused by validation rather than taken as a raw key; random key bytes
// are all printable with a negligible chance.
func sharedSecretText(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	for _, c := range b {
		if c < 0x20 || c > 0x7e {
			return base64.StdEncoding.EncodeToString(b)
		}
	}
	return string(b)
}

// clusterFields maps the clusters service's field names onto the
// requests; the others become cluster.<snake_case>.
var clusterFields = map[string]string{"namespaceId": "parent_namespace_id"}

// clusterNamespaceFields maps the namespace service's field names onto
// AddClusterRequest: the cluster's namespace takes the cluster's name.
var clusterNamespaceFields = map[string]string{"name": "cluster.name", "parentId": "parent_namespace_id"}
