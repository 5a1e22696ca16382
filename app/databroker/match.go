package databroker

import (
	"strings"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// MatchText reports whether text is a case-insensitive substring of any
// string field of msg at any depth (repeated fields, map values, nested
// messages, a Struct's string values): the rule Core's databroker applies to
// QueryRequest.query (storage.MatchAny), for filtering records the console
// already holds the same way.
func MatchText(msg proto.Message, text string) bool {
	if text == "" {
		return true
	}
	return messageHasText(msg.ProtoReflect(), strings.ToLower(text))
}

// messageHasText looks for lowerText in every set field of m.
func messageHasText(m protoreflect.Message, lowerText string) bool {
	found := false
	m.Range(func(fd protoreflect.FieldDescriptor, v protoreflect.Value) bool {
		switch {
		case fd.IsList():
			list := v.List()
			for i := 0; i < list.Len() && !found; i++ {
				found = valueHasText(fd, list.Get(i), lowerText)
			}
		case fd.IsMap():
			v.Map().Range(func(_ protoreflect.MapKey, mv protoreflect.Value) bool {
				found = valueHasText(fd.MapValue(), mv, lowerText)
				return !found
			})
		default:
			found = valueHasText(fd, v, lowerText)
		}
		return !found
	})
	return found
}

// valueHasText tests one singular value of field fd.
func valueHasText(fd protoreflect.FieldDescriptor, v protoreflect.Value, lowerText string) bool {
	switch fd.Kind() {
	case protoreflect.StringKind:
		return strings.Contains(strings.ToLower(v.String()), lowerText)
	case protoreflect.MessageKind, protoreflect.GroupKind:
		return messageHasText(v.Message(), lowerText)
	}
	return false
}
