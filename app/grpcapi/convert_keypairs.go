package grpcapi

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/pomerium-console-oss/pomerium-console/app/keypairs"
	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/db"
)

// keyPairFields maps the key pairs service's field names onto the request:
// the same names, but an encrypted key's password, which the API cannot
// send, is a problem with the key.
func keyPairFields(field string) string {
	if field == keypairs.FieldPassword {
		return keypairs.FieldKey
	}
	return field
}

// keyPairRecord is k as the API shows it: the certificate chain and its
// leaf's facts, never the private key, only whether there is one.
func keyPairRecord(k db.KeyPair) (*pb.KeyPairRecord, error) {
	leaf, err := leafOf(k.CertificatePEM)
	if err != nil {
		return nil, fmt.Errorf("grpcapi: key pair %s: %w", k.ID, err)
	}
	return &pb.KeyPairRecord{
		Id: k.ID, Name: k.Name, NamespaceId: k.NamespaceID,
		CreatedAt: pbTime(k.CreatedAt), ModifiedAt: pbTime(k.ModifiedAt),
		CertInfo: certInfo(leaf, k.Serial), HasPrivateKey: keypairs.HasKey(k), Certificate: []byte(k.CertificatePEM),
	}, nil
}

// leafOf parses the first certificate of a stored chain.
func leafOf(chain string) (*x509.Certificate, error) {
	for rest := []byte(chain); ; {
		var b *pem.Block
		if b, rest = pem.Decode(rest); b == nil {
			return nil, fmt.Errorf("no certificate in the stored chain")
		}
		if b.Type == "CERTIFICATE" {
			return x509.ParseCertificate(b.Bytes)
		}
	}
}

// certInfo describes c; serial is the stored (openssl-style) serial.
func certInfo(c *x509.Certificate, serial string) *pb.CertificateInfo {
	info := &pb.CertificateInfo{
		Version: int64(c.Version), Serial: serial, Issuer: nameOf(c.Issuer), Subject: nameOf(c.Subject),
		NotBefore: timestamppb.New(c.NotBefore), NotAfter: timestamppb.New(c.NotAfter), KeyUsage: keyUsage(c),
		DnsNames: c.DNSNames, EmailAddresses: c.EmailAddresses,
		PermittedDnsDomainsCritical: c.PermittedDNSDomainsCritical, PermittedDnsDomains: c.PermittedDNSDomains,
		ExcludedDnsDomains: c.ExcludedDNSDomains, PermittedEmailAddresses: c.PermittedEmailAddresses,
		ExcludedEmailAddresses: c.ExcludedEmailAddresses, PermittedUriDomains: c.PermittedURIDomains,
		ExcludedUriDomains: c.ExcludedURIDomains,
	}
	for _, ip := range c.IPAddresses {
		info.IpAddresses = append(info.IpAddresses, ip.String())
	}
	for _, u := range c.URIs {
		info.Uris = append(info.Uris, u.String())
	}
	for _, n := range c.PermittedIPRanges {
		info.PermittedIpRanges = append(info.PermittedIpRanges, n.String())
	}
	for _, n := range c.ExcludedIPRanges {
		info.ExcludedIpRanges = append(info.ExcludedIpRanges, n.String())
	}
	return info
}

func nameOf(n pkix.Name) *pb.Name {
	return &pb.Name{
		Country: n.Country, Organization: n.Organization, OrganizationalUnit: n.OrganizationalUnit,
		Locality: n.Locality, Province: n.Province, StreetAddress: n.StreetAddress, PostalCode: n.PostalCode,
		SerialNumber: n.SerialNumber, CommonName: n.CommonName,
	}
}

func keyUsage(c *x509.Certificate) *pb.KeyUsage {
	has := func(u x509.KeyUsage) bool { return c.KeyUsage&u != 0 }
	ext := func(u x509.ExtKeyUsage) bool {
		for _, e := range c.ExtKeyUsage {
			if e == u {
				return true
			}
		}
		return false
	}
	return &pb.KeyUsage{
		DigitalSignature: has(x509.KeyUsageDigitalSignature), ContentCommitment: has(x509.KeyUsageContentCommitment),
		KeyEncipherment: has(x509.KeyUsageKeyEncipherment), DataEncipherment: has(x509.KeyUsageDataEncipherment),
		KeyAgreement: has(x509.KeyUsageKeyAgreement), CertSign: has(x509.KeyUsageCertSign), CrlSign: has(x509.KeyUsageCRLSign),
		EncipherOnly: has(x509.KeyUsageEncipherOnly), DecipherOnly: has(x509.KeyUsageDecipherOnly),
		ServerAuth: ext(x509.ExtKeyUsageServerAuth), ClientAuth: ext(x509.ExtKeyUsageClientAuth),
	}
}

// keyPairRecords converts a list.
func keyPairRecords(list []db.KeyPair) ([]*pb.KeyPairRecord, error) {
	out := make([]*pb.KeyPairRecord, 0, len(list))
	for _, k := range list {
		rec, err := keyPairRecord(k)
		if err != nil {
			return nil, err
		}
		out = append(out, rec)
	}
	return out, nil
}
