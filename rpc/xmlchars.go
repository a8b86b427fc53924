package rpc

import (
	"encoding"
	"encoding/xml"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"
)

// A request string that XML 1.0 cannot carry is refused, never replaced:
// encoding/xml writes U+FFFD for such a character, so the account would
// get another password than the caller holds. requestChars finds the
// first such string in a request by walking its value as encoding/xml
// writes it (element text, attribute values, inner XML and comments, of
// generated and hand-made types alike); EncodeRequest calls it for every
// operation, so nothing that would be altered reaches the wire.

// badChar returns the byte index in s of the first character XML 1.0
// cannot carry and what it is, or -1: a control character other than TAB,
// LF and CR, U+FFFE or U+FFFF, or bytes that are not UTF-8 (a surrogate
// encoded as WTF-8 or CESU-8 is not UTF-8).
func badChar(s string) (int, string) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return i, "a control character"
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			if i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF {
				return i, "a surrogate (WTF-8 or CESU-8 bytes, not UTF-8)"
			}
			return i, "bytes that are not UTF-8"
		case !isInCharacterRange(r):
			return i, "a noncharacter (U+FFFE or U+FFFF)"
		}
		i += n
	}
	return -1, ""
}

// charsError is the problem of a value holding what XML cannot carry. It
// names where, never the value (it may be a password).
func charsError(pos int, what string) string {
	return fmt.Sprintf("holds %s at byte %d of the value, which XML 1.0 cannot carry; "+
		"the request is refused rather than sent altered", what, pos)
}

var (
	xmlNameType       = reflect.TypeFor[xml.Name]()
	xmlAttrType       = reflect.TypeFor[xml.Attr]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// maxCharsDepth bounds the walk over a value that refers to itself.
const maxCharsDepth = 100

// requestChars checks the strings of op's request; a *ValidationError
// names the first that XML 1.0 cannot carry.
func requestChars(op *Op) error {
	if isNil(op.Request) {
		return nil
	}
	path, pos, what := charsIn(reflect.ValueOf(op.Request), "", 0)
	if pos < 0 {
		return nil
	}
	return &ValidationError{Operator: op.Operator, Operation: op.Operation, Path: path, Problem: charsError(pos, what)}
}

func joinPath(path, name string) string {
	if path == "" {
		return name
	}
	return path + "/" + name
}

// charsIn walks v, written at path, and returns the first string that XML
// cannot carry: its path, the byte index of the character and what it is;
// pos is -1 when there is none.
func charsIn(v reflect.Value, path string, depth int) (string, int, string) {
	if depth > maxCharsDepth {
		return "", -1, ""
	}
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			return "", -1, ""
		}
		v = v.Elem()
	}
	if v.Type().Implements(textMarshalerType) || v.CanAddr() && reflect.PointerTo(v.Type()).Implements(textMarshalerType) {
		return textMarshaled(v, path)
	}
	switch v.Kind() {
	case reflect.String:
		if i, what := badChar(v.String()); i >= 0 {
			return path, i, what
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			if i, what := badChar(string(v.Bytes())); i >= 0 {
				return path, i, what
			}
			return "", -1, ""
		}
		fallthrough
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			p := path
			if v.Len() > 1 {
				p = path + "[" + strconv.Itoa(i) + "]"
			}
			if p, pos, what := charsIn(v.Index(i), p, depth+1); pos >= 0 {
				return p, pos, what
			}
		}
	case reflect.Struct:
		if v.Type() == xmlAttrType {
			a := v.Interface().(xml.Attr)
			if i, what := badChar(a.Value); i >= 0 {
				return joinPath(path, "@"+a.Name.Local), i, what
			}
			return "", -1, ""
		}
		return structChars(v, path, depth)
	}
	return "", -1, ""
}

// textMarshaled checks what a TextMarshaler writes.
func textMarshaled(v reflect.Value, path string) (string, int, string) {
	var m encoding.TextMarshaler
	if v.Type().Implements(textMarshalerType) {
		m = v.Interface().(encoding.TextMarshaler)
	} else {
		m = v.Addr().Interface().(encoding.TextMarshaler)
	}
	b, err := m.MarshalText()
	if err != nil {
		return "", -1, "" // the encoder reports it
	}
	if i, what := badChar(string(b)); i >= 0 {
		return path, i, what
	}
	return "", -1, ""
}

// charsField is a field of a struct as encoding/xml writes it: seg is
// its path segment ("" to stay at the struct's path), embedded an
// unexported embedded struct whose exported fields are the struct's own.
type charsField struct {
	index    int
	seg      string
	embedded bool
}

var charsFields sync.Map // reflect.Type -> []charsField

// fieldsOf returns, once per type, the fields of a struct that encoding/xml
// writes, named as it names them.
func fieldsOf(t reflect.Type) []charsField {
	if v, ok := charsFields.Load(t); ok {
		return v.([]charsField)
	}
	var out []charsField
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() && !f.Anonymous || f.Type == xmlNameType {
			continue
		}
		tag := f.Tag.Get("xml")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if k := strings.LastIndexByte(name, ' '); k >= 0 { // "namespace local"
			name = name[k+1:]
		}
		cf := charsField{index: i}
		switch {
		case f.Anonymous && name == "" && !hasOpt(opts, "attr", "chardata", "innerxml", "comment"):
			// Embedded: its fields are the struct's own.
			if !f.IsExported() {
				// encoding/xml reaches the exported fields of an embedded
				// unexported struct, and does not follow a pointer to one.
				if f.Type.Kind() != reflect.Struct {
					continue
				}
				cf.embedded = true
			}
		case !f.IsExported():
			continue
		case hasOpt(opts, "attr"):
			if name == "" {
				name = f.Name
			}
			if !hasOpt(opts, "any") || f.Type.Kind() != reflect.Slice {
				cf.seg = "@" + name // an ,any,attr []xml.Attr names each itself
			}
		case hasOpt(opts, "chardata", "innerxml", "comment", "cdata"):
		case hasOpt(opts, "any") && name == "":
		default:
			if name == "" {
				name = f.Name
			}
			cf.seg = strings.ReplaceAll(name, ">", "/")
		}
		out = append(out, cf)
	}
	charsFields.Store(t, out)
	return out
}

// structChars walks the fields of a struct that encoding/xml writes.
func structChars(v reflect.Value, path string, depth int) (string, int, string) {
	for _, cf := range fieldsOf(v.Type()) {
		fv := v.Field(cf.index)
		p := path
		if cf.seg != "" {
			p = joinPath(path, cf.seg)
		}
		if cf.embedded {
			if p, pos, what := structChars(fv, p, depth+1); pos >= 0 {
				return p, pos, what
			}
			continue
		}
		if p, pos, what := charsIn(fv, p, depth+1); pos >= 0 {
			return p, pos, what
		}
	}
	return "", -1, ""
}

func hasOpt(opts string, names ...string) bool {
	for opts != "" {
		var o string
		o, opts, _ = strings.Cut(opts, ",")
		for _, n := range names {
			if o == n {
				return true
			}
		}
	}
	return false
}
