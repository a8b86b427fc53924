// Package model turns the schema model of gen/xsd into a Go-ready model:
// named types with fields, enumerations, ordered one-of item lists, the two
// packet roots, and the operators and operations of the protocol. It decides
// every Go name, but knows nothing of Go syntax or of jennifer.
package model

import (
	"strconv"
	"strings"

	"github.com/pleskgo/plesk/gen/bind"
	"github.com/pleskgo/plesk/gen/xsd"
)

// Side tells which root closure a type comes from.
type Side int

const (
	Shared   Side = iota // identical in the request and the response closure
	Request              // only in (or different in) the request closure
	Response             // only in (or different in) the response closure
)

func (s Side) String() string {
	switch s {
	case Request:
		return "request"
	case Response:
		return "response"
	}
	return "shared"
}

// Package is everything one generated Go package holds.
type Package struct {
	Name     string // Go package name
	Version  string // protocol version, "" when unknown
	Roots    []string
	Types    []*Type // every type to emit, in schema document order
	Request  *Type   // RequestPacket
	Response *Type   // ResponsePacket

	Operators []*Operator // in request packet order
	Aliases   []*Alias    // in operator and operation order

	// Partial is set when Select kept only some of the schema set's
	// operators: the packets are not the version's whole schema.
	Partial bool

	// Notes are the places where the schema could not be typed as written
	// and the generator chose a fallback (raw XML, schema order), each
	// starting with its file:line:col; pleskgen prints them as warnings.
	Notes []string
}

// TypeKind is the kind of a generated Go type.
type TypeKind int

const (
	// Struct is a complex type: element and attribute fields, or text plus
	// attributes for simple content.
	Struct TypeKind = iota
	// Enum is a string type with typed constants.
	Enum
	// Items is the one-of element of an ordered, repeating group: exactly one
	// alternative field is set, or Raw for an element no alternative matches.
	Items
)

// Type is one generated Go type.
type Type struct {
	Name   string
	Kind   TypeKind
	Doc    string
	Side   Side
	Source xsd.Pos // where the XSD defines it
	File   string  // the XSD file (relative) whose Go file holds it
	// XMLName is the element name of a global element's type (the packets);
	// empty for types named by the field that holds them.
	XMLName string
	XMLNS   string // XMLName's namespace

	Fields []*Field // Struct: in XML order; Items: the alternatives

	// Enum
	Values []EnumValue

	// Choices are the exactly-one / at-most-one groups of a Struct's fields.
	Choices []*ChoiceGroup

	// KeepsOrder is set for a Struct whose content is (or holds) an xs:all
	// group: its children may come in any order, and a round trip keeps it.
	KeepsOrder bool

	// Filter is set for a struct a request uses as a <filter> element: it
	// gets a MatchAll field, the explicit "every object".
	Filter bool

	parts    []string // XML names the Go name is built from
	named    bool     // defined by a named XSD type (not anonymous)
	key      string   // identity across sides: the XSD definition's position
	validate bool
}

// HasValidate reports whether the generated type has a Validate method.
func (t *Type) HasValidate() bool { return t.validate }

// FieldKind tells how a field maps onto XML.
type FieldKind int

const (
	ElementField FieldKind = iota // a child element
	AttrField                     // an attribute
	TextField                     // character data (simple content)
	AnyField                      // []rpc.Raw: wildcard content and unknown elements
	ItemsField                    // []ItemsType: an ordered, repeating group
	AnyAttrField                  // []xml.Attr: attribute wildcard
)

// Scalar is a Go builtin used for an XML simple value.
type Scalar string

const (
	String  Scalar = "string"
	Int64   Scalar = "int64"
	Uint64  Scalar = "uint64"
	Float64 Scalar = "float64"
	Bool    Scalar = "bool"
)

// GoType is the type of a field's value (without pointer or slice).
type GoType struct {
	Scalar Scalar // set for builtins
	Named  *Type  // a generated Struct or Enum
	Empty  bool   // rpc.Empty: an element without content
	Raw    bool   // rpc.Raw: anyType content kept as written
}

// Field is one field of a Struct, or one alternative of an Items type.
type Field struct {
	Name    string
	Doc     string
	Kind    FieldKind
	XMLName string // element or attribute local name
	XMLNS   string // namespace, "" for none
	Type    GoType
	Min     int // effective occurrence, after folding enclosing groups
	Max     int // xsd.Unbounded for unbounded
	// Required means the field is written as a value, not a pointer: the
	// schema demands it and no enclosing group makes it optional.
	Required bool
	// Default is the schema's default value (default= on the element or
	// attribute), nil when it has none.
	Default *string
	// Explicit marks a required element whose schema default is not what
	// Go's zero value of its type would send (MailnameAddMailbox.Enabled,
	// default "true"). It is a pointer all the same, and Validate refuses
	// nil: a value left unset must never send the opposite of the default.
	Explicit bool
	Source   xsd.Pos
}

// Repeated reports whether the field is a slice.
func (f *Field) Repeated() bool { return f.Max == xsd.Unbounded || f.Max > 1 }

// Pointer reports whether the field is an optional single value.
func (f *Field) Pointer() bool {
	return !f.Repeated() && (!f.Required || f.Explicit) && f.Kind != TextField && f.Kind != AnyField && f.Kind != ItemsField && f.Kind != AnyAttrField
}

// DefaultIsZero reports whether the field has no schema default, or one
// equal to the zero value of its Go type: leaving it unset sends what the
// schema would assume anyway.
func (f *Field) DefaultIsZero() bool {
	if f.Default == nil {
		return true
	}
	return f.Type.zeroMeans(*f.Default)
}

// zeroMeans reports whether the lexical value v of a simple type is what
// the Go zero value of g writes: false, 0, or the empty string.
func (g GoType) zeroMeans(v string) bool {
	v = strings.TrimSpace(v)
	switch g.Scalar {
	case Bool:
		return v == "false" || v == "0"
	case Int64, Uint64, Float64:
		f, err := strconv.ParseFloat(strings.TrimPrefix(v, "+"), 64)
		return err == nil && f == 0
	}
	return v == ""
}

// EnumValue is one constant of an Enum.
type EnumValue struct {
	Name  string
	Value string
	Doc   string
}

// ChoiceGroup is a choice whose branches are flattened into optional fields.
type ChoiceGroup struct {
	Min      int        // 1: exactly one branch; 0: at most one
	Branches [][]*Field // the fields each branch contributes
	Source   xsd.Pos
}

// Operator is an element of the packet's repeating choice, such as
// <webspace>, with its operations.
type Operator struct {
	Name       string // Go name of the operator handle type, e.g. "WebspaceOperator"
	Field      string // Go name of the Client field, e.g. "Webspace"
	XMLName    string
	Doc        string
	Operations []*Operation
	// Input and Output are the types of the operator element in the
	// request and in the response (Output nil when the response side has
	// no such operator).
	Input, Output *Type
}

// Access is what an operation does to the state of the server, as the
// schema set's operation classification declares it (see gen/bind).
type Access = bind.Access

const (
	Write = bind.Write // may change state: the zero value, the safe default
	Read  = bind.Read  // only reads state
)

// Operation is one operation of an operator, such as <switch-subscription>.
type Operation struct {
	Name    string // Go method name, e.g. "SwitchSubscription"
	XMLName string // "get", or the path inside a group: "db-servers/list"
	Doc     string
	Source  xsd.Pos // the operation's element declaration in the request
	// Access is Read when the classification declares that the operation
	// only reads state; Write otherwise.
	Access Access
	// Request is the payload type; nil with RequestEmpty when the operation
	// element has no content; RequestScalar for text content.
	Request       *Type
	RequestEmpty  bool
	RequestScalar Scalar
	// Result is the type of each <result> of the response; nil when the
	// response side declares none.
	Result       *Type
	ResultScalar Scalar
	ResultMax    int
	// Output is the type of the operation element in the response, which
	// holds the results; nil when the response side declares none.
	Output *Type
	// RequestName and ResultName are the Go names the operation's
	// signature uses: the path names CustomerGet and CustomerGetResult.
	// They are the names of Request and Result, or aliases of them
	// (Package.Aliases) when those types serve elsewhere too.
	RequestName, ResultName string
}

// Alias is a second name of a type: the path name of an operation's
// request or result when the type itself is named otherwise because it
// serves more than one place ("type DNSAddRec = DNSRecord").
type Alias struct {
	Name   string
	Target *Type
	// Path is the element path the alias names, such as "dns/add_rec" or
	// "dns/add_rec/result".
	Path string
}

// XSDName returns the XSD name of a type defined by a named XSD type, or "".
func (t *Type) XSDName() string {
	if t.named && t.Kind != Items && len(t.parts) > 0 {
		return t.parts[0]
	}
	return ""
}

// XSDPath returns the element path an anonymous type is named after, such
// as "customer/change-owner".
func (t *Type) XSDPath() string { return strings.Join(t.parts, "/") }
