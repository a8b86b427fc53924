package rpc

import "github.com/pleskgo/plesk/rpc/internal/xmlstruct"

// Ptr returns a pointer to v: optional fields of generated requests are
// pointers, so that an unset value is left out rather than sent empty (Plesk
// rejects empty typed values).
//
//	req.PlanGUID = rpc.Ptr("cc982f71-48c3-479d-bc7b-59b97547e092")
func Ptr[T any](v T) *T { return &v }

// RawText returns a Raw holding the text s, escaped: the value of an
// element the schema leaves untyped (xs:anyType, such as migration_id) when
// it carries plain text. The field's tag names the element.
//
//	req.MigrationID = rpc.RawText("29054")
func RawText(s string) Raw {
	return Raw{Inner: xmlstruct.EscapeText(s)}
}

// Text returns the character data of r when it holds no child element.
func (r Raw) Text() (string, bool) { return r.text() }
