package naming

import (
	"strconv"
	"unicode"
	"unicode/utf8"
)

// Uniquer hands out names that are unique within one scope (a package, the
// fields of a struct, the constants of an enumeration). It is deterministic:
// the same sequence of calls gives the same names. The zero value is an
// empty scope ready to use. A Uniquer is not safe for concurrent use.
type Uniquer struct {
	taken map[string]bool
	next  map[string]int // next suffix to try for a base
}

// Reserve marks name as taken, so that [Uniquer.Unique] never returns it, and
// reports whether it was free before. A caller that must not rename (two XSD
// types with the same Go name) treats false as a clash.
func (u *Uniquer) Reserve(name string) bool {
	if u.taken[name] {
		return false
	}
	if u.taken == nil {
		u.taken = make(map[string]bool)
	}
	u.taken[name] = true
	return true
}

// Taken reports whether name has been reserved or handed out.
func (u *Uniquer) Taken(name string) bool { return u.taken[name] }

// Unique returns base if it is free, and otherwise the first free name of
// base2, base3, ... (base_2, base_3, ... if base ends in a digit, so that
// "IPv4" becomes "IPv4_2" and not "IPv42"). The returned name is reserved.
func (u *Uniquer) Unique(base string) string {
	if u.Reserve(base) {
		return base
	}
	sep := ""
	if r, _ := utf8.DecodeLastRuneInString(base); unicode.IsDigit(r) {
		sep = "_"
	}
	if u.next == nil {
		u.next = make(map[string]int)
	}
	n := max(u.next[base], 2)
	for {
		name := base + sep + strconv.Itoa(n)
		n++
		if u.Reserve(name) {
			u.next[base] = n
			return name
		}
	}
}

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
