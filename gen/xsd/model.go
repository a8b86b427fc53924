// Package xsd reads W3C XML Schema files into a faithful, position-carrying
// model: the files of one root closure, their global components in one symbol
// table, and every particle tree (sequence, choice, all, element, any) with
// its occurrence bounds.
//
// The model describes the schema as written; it does not flatten extension or
// group references. Load resolves every QName reference to its declaration,
// so that later stages can walk the model without a symbol table of their own.
//
// Expand gives the other view: the fully expanded element tree of every
// global element, as Xerces builds it and as the published Plesk element
// trees print it (WriteTree), for comparing schema versions path by path.
package xsd

import (
	"fmt"
	"strconv"
)

// NS is the XML Schema namespace.
const NS = "http://www.w3.org/2001/XMLSchema"

// Unbounded is the Max of an occurrence written maxOccurs="unbounded".
const Unbounded = -1

// Pos is a position in a schema file. File is relative to the directory of
// the root file (slash-separated), so messages are the same on every machine.
type Pos struct {
	File      string
	Line, Col int
}

func (p Pos) String() string {
	if p.Line == 0 {
		return p.File
	}
	return p.File + ":" + strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col)
}

// Error is a problem in a schema set, reported at the position it concerns.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

func errorf(p Pos, format string, args ...any) *Error {
	return &Error{Pos: p, Msg: fmt.Sprintf(format, args...)}
}

// QName is a namespace-qualified name. Space is the namespace URI, "" when
// the schema has no target namespace.
type QName struct {
	Space, Local string
}

func (q QName) String() string {
	if q.Space == "" {
		return q.Local
	}
	return "{" + q.Space + "}" + q.Local
}

// IsZero reports whether q names nothing.
func (q QName) IsZero() bool { return q.Local == "" }

// Occurs is the minOccurs/maxOccurs pair of a particle. Max is Unbounded for
// "unbounded".
type Occurs struct {
	Min, Max int
}

// One is the default occurrence, [1..1].
var One = Occurs{Min: 1, Max: 1}

func (o Occurs) String() string {
	if o.Max == Unbounded {
		return fmt.Sprintf("[%d..∞]", o.Min)
	}
	return fmt.Sprintf("[%d..%d]", o.Min, o.Max)
}

// Optional reports whether the particle may be absent.
func (o Occurs) Optional() bool { return o.Min == 0 }

// Repeated reports whether the particle may occur more than once.
func (o Occurs) Repeated() bool { return o.Max == Unbounded || o.Max > 1 }

// Set is one root closure: a root file and every file it includes or imports,
// transitively, with one symbol table for all of them. Two roots that share
// files still get separate sets, because their global names can differ.
type Set struct {
	Dir   string  // directory the file paths are relative to
	Root  string  // the root file, relative to Dir
	Files []*File // in load order, the root first

	Elements        []*Element        // global element declarations, document order
	Types           []Type            // global named types (*ComplexType, *SimpleType), document order
	Groups          []*Group          // named model groups
	AttributeGroups []*AttributeGroup // named attribute groups
	Attributes      []*Attribute      // global attribute declarations

	elements        map[QName]*Element
	types           map[QName]Type
	groups          map[QName]*Group
	attributeGroups map[QName]*AttributeGroup
	attributes      map[QName]*Attribute
}

// Element returns the global element declaration named q, or nil.
func (s *Set) Element(q QName) *Element { return s.elements[q] }

// Type returns the global type named q (builtin types included), or nil.
func (s *Set) Type(q QName) Type {
	if q.Space == NS {
		return Builtin(q.Local)
	}
	return s.types[q]
}

// Group returns the named model group q, or nil.
func (s *Set) Group(q QName) *Group { return s.groups[q] }

// AttributeGroup returns the named attribute group q, or nil.
func (s *Set) AttributeGroup(q QName) *AttributeGroup { return s.attributeGroups[q] }

// Attribute returns the global attribute declaration q, or nil.
func (s *Set) Attribute(q QName) *Attribute { return s.attributes[q] }

// File is one schema document.
type File struct {
	Path                 string // relative to Set.Dir, slash-separated
	TargetNamespace      string
	ElementFormQualified bool
	Includes             []*Include // xs:include, xs:import and xs:redefine, in order
	Doc                  string     // documentation of the xs:schema element

	// AttributeFormQualified is attributeFormDefault="qualified": local
	// attributes are in the target namespace.
	AttributeFormQualified bool
}

// Include is one xs:include or xs:import.
type Include struct {
	Pos       Pos
	Kind      string // "include" or "import"
	Location  string // schemaLocation as written
	Namespace string // for imports
	File      *File  // the loaded file, nil for an import without location
}

// Element is an element declaration: global, local, or a reference (Ref set).
type Element struct {
	Pos      Pos
	Name     QName
	Doc      string
	Global   bool
	Nillable bool
	Abstract bool
	Default  *string
	Fixed    *string

	// TypeName is the type="…" attribute; zero when the type is anonymous or
	// absent. Type is the resolved type: the named one, the anonymous one
	// declared inline, or AnyType when the declaration has none.
	TypeName QName
	Type     Type

	// Ref is the ref="…" attribute of an element reference; RefElement is
	// the global declaration it names. A reference has no type of its own.
	Ref        QName
	RefElement *Element

	SubstitutionGroup QName
}

// Decl returns the declaration that gives e its name and type: the referenced
// global element for a reference, e itself otherwise.
func (e *Element) Decl() *Element {
	if e.RefElement != nil {
		return e.RefElement
	}
	return e
}

// Type is a *ComplexType or a *SimpleType.
type Type interface {
	// TypeQName returns the type's name; zero for an anonymous type.
	TypeQName() QName
	// Position returns where the type is defined (zero for builtins).
	Position() Pos
}

// Derivation says how a type is derived from its base.
type Derivation int

const (
	DeriveNone        Derivation = iota // no explicit base (implicitly anyType)
	DeriveExtension                     // xs:extension
	DeriveRestriction                   // xs:restriction
)

// ContentKind is the shape of a complex type's content.
type ContentKind int

const (
	ContentEmpty   ContentKind = iota // no particle, no text
	ContentElement                    // a particle (complexContent or direct)
	ContentSimple                     // simpleContent: text of BaseType plus attributes
	ContentMixed                      // a particle with mixed="true"
)

// ComplexType is an xs:complexType, named or anonymous.
type ComplexType struct {
	Pos      Pos
	Name     QName // zero when anonymous
	Doc      string
	Abstract bool
	Mixed    bool

	// Derivation and Base describe an xs:complexContent or xs:simpleContent
	// derivation. BaseType is the resolved base.
	Derivation    Derivation
	SimpleContent bool // the derivation was under xs:simpleContent
	BaseName      QName
	BaseType      Type

	// Particle is the type's own content model (for an extension: only what
	// the extension adds); nil when the type declares none.
	Particle *Particle

	// SimpleRestriction holds the facets of a simpleContent restriction.
	SimpleRestriction *SimpleType

	Attributes      []*Attribute // own attributes, document order
	AttributeGroups []*AttributeGroupRef
	AnyAttribute    *Wildcard
}

func (t *ComplexType) TypeQName() QName { return t.Name }
func (t *ComplexType) Position() Pos    { return t.Pos }

// ParticleKind tells what a Particle holds.
type ParticleKind int

const (
	ParticleSequence ParticleKind = iota
	ParticleChoice
	ParticleAll
	ParticleElement
	ParticleAny
	ParticleGroupRef
)

func (k ParticleKind) String() string {
	switch k {
	case ParticleSequence:
		return "sequence"
	case ParticleChoice:
		return "choice"
	case ParticleAll:
		return "all"
	case ParticleElement:
		return "element"
	case ParticleAny:
		return "any"
	case ParticleGroupRef:
		return "group"
	}
	return "particle(" + strconv.Itoa(int(k)) + ")"
}

// Particle is one node of a content model.
type Particle struct {
	Kind   ParticleKind
	Pos    Pos
	Occurs Occurs
	Doc    string

	Children []*Particle // sequence, choice, all
	Element  *Element    // element
	Any      *Wildcard   // any

	GroupName QName  // group reference
	Group     *Group // resolved group
}

// Wildcard is an xs:any or xs:anyAttribute.
type Wildcard struct {
	Pos             Pos
	Namespace       string // as written; "##any" when absent
	ProcessContents string // "strict", "lax" or "skip"

	// TargetNamespace is the target namespace of the schema document the
	// wildcard appears in ("" for none): what ##targetNamespace, ##local and
	// ##other in Namespace are relative to.
	TargetNamespace string
}

// Group is a named model group (xs:group name="…").
type Group struct {
	Pos      Pos
	Name     QName
	Doc      string
	Particle *Particle // the group's sequence, choice or all
}

// Use is an attribute's use.
type Use int

const (
	UseOptional Use = iota
	UseRequired
	UseProhibited
)

// Attribute is an attribute declaration or reference.
type Attribute struct {
	Pos      Pos
	Name     QName
	Doc      string
	Use      Use
	Default  *string
	Fixed    *string
	Global   bool
	TypeName QName
	Type     *SimpleType // resolved (named, anonymous, or anySimpleType)

	Ref          QName
	RefAttribute *Attribute
}

// Decl returns the referenced global attribute for a reference, a otherwise.
func (a *Attribute) Decl() *Attribute {
	if a.RefAttribute != nil {
		return a.RefAttribute
	}
	return a
}

// AttributeGroup is a named xs:attributeGroup.
type AttributeGroup struct {
	Pos             Pos
	Name            QName
	Doc             string
	Attributes      []*Attribute
	AttributeGroups []*AttributeGroupRef
	AnyAttribute    *Wildcard
}

// AttributeGroupRef is a reference to a named attribute group.
type AttributeGroupRef struct {
	Pos   Pos
	Name  QName
	Group *AttributeGroup
}

// Variety is the variety of a simple type.
type Variety int

const (
	Atomic Variety = iota
	List
	Union
)

// SimpleType is an xs:simpleType (named, anonymous or builtin).
type SimpleType struct {
	Pos     Pos
	Name    QName // zero when anonymous
	Doc     string
	Builtin bool // one of the XML Schema builtin types (Name.Space == NS)

	Variety Variety

	// Atomic: restriction of BaseName / BaseType with Facets.
	BaseName QName
	BaseType *SimpleType
	Facets   Facets

	// List: the item type.
	ItemName QName
	ItemType *SimpleType

	// Union: the member types, named ones first in memberTypes order, then
	// the anonymous ones.
	MemberNames []QName
	MemberTypes []*SimpleType
}

func (t *SimpleType) TypeQName() QName { return t.Name }
func (t *SimpleType) Position() Pos    { return t.Pos }

// Facets are the constraining facets of a restriction. Nil pointers are
// absent facets.
type Facets struct {
	Enumerations   []Enumeration
	Patterns       []string
	Length         *int
	MinLength      *int
	MaxLength      *int
	MinInclusive   *string
	MaxInclusive   *string
	MinExclusive   *string
	MaxExclusive   *string
	TotalDigits    *int
	FractionDigits *int
	WhiteSpace     string
}

// Enumeration is one xs:enumeration value.
type Enumeration struct {
	Pos   Pos
	Value string
	Doc   string
}

// Primitive returns the builtin type at the root of t's restriction chain
// (for a list or union: anySimpleType).
func (t *SimpleType) Primitive() *SimpleType {
	seen := 0
	for t != nil && !t.Builtin && seen < 1000 {
		if t.Variety != Atomic {
			return BuiltinSimple("anySimpleType")
		}
		t = t.BaseType
		seen++
	}
	if t == nil || !t.Builtin {
		return BuiltinSimple("anySimpleType")
	}
	return t
}

// EffectiveFacets returns the facets of t merged with those inherited along
// its restriction chain: the nearest declaration of each facet wins, and the
// enumeration of the nearest type that has one.
func (t *SimpleType) EffectiveFacets() Facets {
	var f Facets
	for depth := 0; t != nil && !t.Builtin && t.Variety == Atomic && depth < 1000; depth++ {
		g := t.Facets
		if f.Enumerations == nil {
			f.Enumerations = g.Enumerations
		}
		f.Patterns = append(f.Patterns, g.Patterns...)
		pick(&f.Length, g.Length)
		pick(&f.MinLength, g.MinLength)
		pick(&f.MaxLength, g.MaxLength)
		pick(&f.MinInclusive, g.MinInclusive)
		pick(&f.MaxInclusive, g.MaxInclusive)
		pick(&f.MinExclusive, g.MinExclusive)
		pick(&f.MaxExclusive, g.MaxExclusive)
		pick(&f.TotalDigits, g.TotalDigits)
		pick(&f.FractionDigits, g.FractionDigits)
		if f.WhiteSpace == "" {
			f.WhiteSpace = g.WhiteSpace
		}
		t = t.BaseType
	}
	return f
}

func pick[T any](dst **T, src *T) {
	if *dst == nil {
		*dst = src
	}
}
