package naming

// reservedMethods are the methods generated types may carry; a field or
// embedded name equal to one of them would clash with the method.
var reservedMethods = map[string]bool{
	"MarshalXML":   true,
	"String":       true,
	"UnmarshalXML": true,
	"Validate":     true,
}

// IsReservedMethod reports whether name is the name of a method that
// generated types may have: Validate, MarshalXML, UnmarshalXML or String. A
// struct field with such a name gets a trailing "_" (see [Field]).
func IsReservedMethod(name string) bool { return reservedMethods[name] }

// Field returns the struct field name for the XML name s: [Exported], with
// a trailing "_" when the result is a reserved method name
// ("validate" -> "Validate_").
func Field(s string) string {
	name := Exported(s)
	if IsReservedMethod(name) {
		name += "_"
	}
	return name
}
