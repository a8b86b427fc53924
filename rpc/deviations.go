package rpc

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pleskgo/plesk/rpc/internal/xmlstruct"
)

// DeviationKind is what a Deviation found.
type DeviationKind uint8

const (
	// Missing: a required element or attribute was absent. The typed field
	// holds its zero value, and encoding the value leaves it out again.
	Missing DeviationKind = DeviationKind(xmlstruct.Missing)
	// Untyped: a value did not parse as its declared type (an empty
	// <id></id>, "abc" where a number belongs). The typed field holds its
	// zero value; the value is kept as written, and written back as it came.
	Untyped DeviationKind = DeviationKind(xmlstruct.Untyped)
	// Undeclared: an element the schema does not declare at that place (a
	// newer or older server's element, or a second occurrence of a single
	// one). It is kept, at its place.
	Undeclared DeviationKind = DeviationKind(xmlstruct.Undeclared)
	// UndeclaredAttr: an attribute the schema does not declare.
	UndeclaredAttr DeviationKind = DeviationKind(xmlstruct.UndeclaredAttr)
	// UndeclaredText: character data where the schema allows only elements.
	UndeclaredText DeviationKind = DeviationKind(xmlstruct.UndeclaredText)
)

func (k DeviationKind) String() string {
	switch k {
	case Missing:
		return "missing"
	case Untyped:
		return "untyped"
	case Undeclared:
		return "undeclared element"
	case UndeclaredAttr:
		return "undeclared attribute"
	case UndeclaredText:
		return "undeclared text"
	}
	return "unknown deviation"
}

// Deviation is one place where a decoded value differs from its schema.
type Deviation struct {
	Kind DeviationKind
	// Path is the element path from the value asked about, such as
	// "data/gen_info/cr_date" or "webspace[1]/name"; an attribute ends in
	// "@name".
	Path string
	// Value is what was kept, as written: the text of an untyped value, the
	// XML of an undeclared element, the value of an undeclared attribute.
	Value string
}

// String reads "data/gen_info/guid: missing" or "data/webapps: undeclared
// element <webapps><webapp>…", on one line: white space in the value is
// collapsed and a long value is cut.
func (d Deviation) String() string {
	v := strings.Join(strings.Fields(d.Value), " ")
	if len(v) > 80 {
		cut := 80
		for cut > 0 && !utf8.RuneStart(v[cut]) {
			cut--
		}
		v = v[:cut] + "…"
	}
	if v == "" && d.Kind != Untyped {
		return d.Path + ": " + d.Kind.String()
	}
	return d.Path + ": " + d.Kind.String() + " " + strconv.Quote(v)
}

// Deviations reports what a decoded value of a generated type (a result, a
// request, any struct inside them) holds beyond its schema: required
// elements the server did not send, values kept as written because they
// could not be typed, and undeclared elements, attributes and text. It
// returns nil for a value that matches its schema, and for any value a
// program built.
//
// Decoding never fails on such content and never drops it: the typed
// fields show what could be typed (the zero value elsewhere) and encoding
// writes everything back as it came. Deviations is how a careful program
// tells "0" from "absent" or "garbage":
//
//	for _, d := range rpc.Deviations(&res[0]) {
//		log.Printf("server deviates from protocol %s: %s", plesk1691.ProtocolVersion, d)
//	}
func Deviations(v any) []Deviation {
	var out []Deviation
	xmlstruct.Walk(v, func(d xmlstruct.Deviation) bool {
		out = append(out, Deviation{Kind: DeviationKind(d.Kind), Path: d.Path, Value: d.Value})
		return true
	})
	return out
}

// MatchAll returns a filter of type F that selects every object, on
// purpose: one whose MatchAll field is set. Generated filter types (the
// types of <filter> elements) have that field, MatchAll bool, which is
// never written as XML: the filter goes out as an empty <filter/>, which
// Plesk reads as every object. An operation that changes state refuses a
// <filter> that would be written without a child element (a zero value, nil
// or empty slices, omitted values) unless its MatchAll is set, so that a
// forgotten field or an empty list of ids never deletes or moves
// everything; and it refuses a filter with MatchAll set that also selects
// by its fields. These are the same:
//
//	api.Webspace.Del(ctx, &plesk1691.WebspaceDel{Filter: rpc.MatchAll[plesk1691.DomainFilter]()})
//	api.Webspace.Del(ctx, &plesk1691.WebspaceDel{Filter: plesk1691.DomainFilter{MatchAll: true}})
//
// Because the field is exported, == and go-cmp tell such a request from
// one with a zero filter. For a type F without a MatchAll field MatchAll
// returns the zero value, which the guard refuses.
func MatchAll[F any]() F {
	var f F
	xmlstruct.SetMatchAll(&f)
	return f
}
