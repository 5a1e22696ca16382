// Package regotest evaluates compiled policy modules the way Pomerium Core
// does, for tests: a fake databroker with Core's lookup semantics (null for
// missing or expired records, id or `$index` CIDR match, values shaped like
// Go's encoding/json of the protos), builders for Core's records and for
// its input document, and Eval, which decodes allow and deny as Core reads
// them.
package regotest
