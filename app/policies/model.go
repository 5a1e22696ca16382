package policies

import "github.com/pomerium-console-oss/pomerium-console/db"

// Limits on the text fields; names follow the REST reference's cap.
const (
	MaxNameLength = 128
	MaxTextLength = 4096
	MaxPPLLength  = 256 << 10
)

// Input is a new policy, or every editable field of an existing one.
type Input struct {
	NamespaceID string
	Name        string
	Description string
	Explanation string
	Remediation string
	Enforced    bool
	PPL         string
}

// UpdateInput changes some fields of a policy; nil fields stay.
type UpdateInput struct {
	Name        *string
	Description *string
	Explanation *string
	Remediation *string
	Enforced    *bool
	PPL         *string
}

// Patch applies the set fields of u to p.
func (u UpdateInput) Patch(p db.Policy) db.Policy {
	for _, f := range []struct {
		dst *string
		src *string
	}{
		{&p.Name, u.Name}, {&p.Description, u.Description}, {&p.Explanation, u.Explanation},
		{&p.Remediation, u.Remediation}, {&p.PPL, u.PPL},
	} {
		if f.src != nil {
			*f.dst = *f.src
		}
	}
	if u.Enforced != nil {
		p.Enforced = *u.Enforced
	}
	return p
}

// snapshot is a policy as the activity log stores it; the compiled Rego is
// left out because it follows from the PPL.
type snapshot struct {
	ID          string `json:"id"`
	NamespaceID string `json:"namespaceId"`
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Explanation string `json:"explanation,omitempty"`
	Remediation string `json:"remediation,omitempty"`
	Enforced    bool   `json:"enforced"`
	PPL         string `json:"ppl"`
}

func snapshotOf(p db.Policy) snapshot {
	return snapshot{
		ID: p.ID, NamespaceID: p.NamespaceID, Name: p.Name, Description: p.Description,
		Explanation: p.Explanation, Remediation: p.Remediation, Enforced: p.Enforced, PPL: p.PPL,
	}
}
