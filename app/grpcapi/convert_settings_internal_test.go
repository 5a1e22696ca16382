package grpcapi

import (
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/durationpb"

	pb "github.com/pomerium-console-oss/pomerium-console/app/pb/dashboard"
	"github.com/pomerium-console-oss/pomerium-console/app/settings"
)

// Every setting the console keeps either has a field in the message or is
// kept by SetSettings: a new setting must be added to one of the two.
func TestEverySettingIsMappedOrKept(t *testing.T) {
	t.Parallel()
	all := settings.FieldNames()
	for _, s := range settings.Secrets {
		all = append(all, string(s))
	}
	for _, name := range all {
		_, mapped := settingsNames[name]
		if mapped == slices.Contains(settingsConsoleOnly, name) {
			t.Errorf("setting %q: mapped to a field = %v, kept as console-only = %v; want exactly one", name, mapped, !mapped)
		}
	}
}

// The tables name real fields of the message.
func TestSettingsTablesNameMessageFields(t *testing.T) {
	t.Parallel()
	fields := (&pb.Settings{}).ProtoReflect().Descriptor().Fields()
	for name := range settingsSupported {
		if fields.ByName(protoreflect.Name(name)) == nil {
			t.Errorf("supported field %q is not a field of Settings", name)
		}
	}
	for name := range settingsComputed {
		if fields.ByName(protoreflect.Name(name)) == nil {
			t.Errorf("computed field %q is not a field of Settings", name)
		}
	}
}

func TestRestDuration(t *testing.T) {
	t.Parallel()
	stored := "1d"
	tests := []struct {
		name   string
		d      *durationpb.Duration
		stored *string
		want   string
		err    string
	}{
		{"zero", durationpb.New(0), nil, "0s", ""},
		{"mixed", durationpb.New(90*time.Minute + 5*time.Second + 250*time.Millisecond), nil, "1h30m5s250ms", ""},
		{"over a day", durationpb.New(36 * time.Hour), nil, "36h", ""},
		{"stored text kept when equal", durationpb.New(24 * time.Hour), &stored, "1d", ""},
		{"stored text replaced when different", durationpb.New(2 * time.Hour), &stored, "2h", ""},
		{"negative", durationpb.New(-time.Second), nil, "", "must not be negative"},
		{"sub-millisecond", durationpb.New(time.Microsecond), nil, "", "whole number of milliseconds"},
		{"invalid", &durationpb.Duration{Seconds: 1, Nanos: -1}, nil, "", "not a valid duration"},
	}
	for _, tc := range tests {
		got, err := restDuration(tc.d, tc.stored)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: err = %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
}

func TestSharedSecretText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"empty keeps the stored one", nil, ""},
		{"base64 text as sent", []byte("c2VjcmV0"), "c2VjcmV0"},
		{"mistyped text as sent, for validation to refuse", []byte("not base64!"), "not base64!"},
		{"raw key encoded", []byte{0x00, 0xff, 0x41}, "AP9B"},
	}
	for _, tc := range tests {
		if got := sharedSecretText(tc.in); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
}
