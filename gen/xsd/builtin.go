package xsd

// builtinBase maps each XML Schema builtin simple type to the type it is
// derived from, so that Primitive can walk any chain down to a primitive.
var builtinBase = map[string]string{
	"anySimpleType": "",
	// primitives
	"string": "anySimpleType", "boolean": "anySimpleType", "decimal": "anySimpleType",
	"float": "anySimpleType", "double": "anySimpleType", "duration": "anySimpleType",
	"dateTime": "anySimpleType", "time": "anySimpleType", "date": "anySimpleType",
	"gYearMonth": "anySimpleType", "gYear": "anySimpleType", "gMonthDay": "anySimpleType",
	"gDay": "anySimpleType", "gMonth": "anySimpleType", "hexBinary": "anySimpleType",
	"base64Binary": "anySimpleType", "anyURI": "anySimpleType", "QName": "anySimpleType",
	"NOTATION": "anySimpleType",
	// derived from string
	"normalizedString": "string", "token": "normalizedString", "language": "token",
	"NMTOKEN": "token", "Name": "token", "NCName": "Name", "ID": "NCName",
	"IDREF": "NCName", "ENTITY": "NCName",
	// lists
	"NMTOKENS": "anySimpleType", "IDREFS": "anySimpleType", "ENTITIES": "anySimpleType",
	// derived from decimal
	"integer": "decimal", "nonPositiveInteger": "integer", "negativeInteger": "nonPositiveInteger",
	"long": "integer", "int": "long", "short": "int", "byte": "short",
	"nonNegativeInteger": "integer", "unsignedLong": "nonNegativeInteger",
	"unsignedInt": "unsignedLong", "unsignedShort": "unsignedInt", "unsignedByte": "unsignedShort",
	"positiveInteger": "nonNegativeInteger",
}

var (
	builtinSimple = map[string]*SimpleType{}
	// AnyType is the ur-type xs:anyType: any attributes and any content.
	AnyType = &ComplexType{
		Name:  QName{NS, "anyType"},
		Mixed: true,
		Particle: &Particle{Kind: ParticleSequence, Occurs: One, Children: []*Particle{{
			Kind: ParticleAny, Occurs: Occurs{0, Unbounded},
			Any: &Wildcard{Namespace: "##any", ProcessContents: "lax"},
		}}},
		AnyAttribute: &Wildcard{Namespace: "##any", ProcessContents: "lax"},
	}
)

func init() {
	for name := range builtinBase {
		builtinSimple[name] = &SimpleType{Name: QName{NS, name}, Builtin: true}
	}
	for name, base := range builtinBase {
		if base != "" {
			builtinSimple[name].BaseName = QName{NS, base}
			builtinSimple[name].BaseType = builtinSimple[base]
		}
	}
	for _, name := range []string{"NMTOKENS", "IDREFS", "ENTITIES"} {
		builtinSimple[name].Variety = List
	}
}

// Builtin returns the builtin type with the given local name in the XML
// Schema namespace (anyType included), or nil if there is none.
func Builtin(local string) Type {
	if local == "anyType" {
		return AnyType
	}
	if t, ok := builtinSimple[local]; ok {
		return t
	}
	return nil
}

// BuiltinSimple is Builtin for simple types: nil for anyType and unknown names.
func BuiltinSimple(local string) *SimpleType { return builtinSimple[local] }
