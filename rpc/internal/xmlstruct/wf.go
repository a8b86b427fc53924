package xmlstruct

import (
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// NotWellFormedError is what XML 1.0 or Namespaces in XML forbid and
// encoding/xml's decoder lets through, found by the codec before it keeps
// anything: whatever decodes is written back well-formed. Line and Column
// are where the decoder stood (the end of the offending tag); both are 0
// when the decoder does not know (one reading tokens from elsewhere).
type NotWellFormedError struct {
	Line, Column int
	Msg          string
}

func (e *NotWellFormedError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("xmlstruct: XML not well-formed at line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	return "xmlstruct: XML not well-formed: " + e.Msg
}

func notWellFormed(d *xml.Decoder, msg string) error {
	line, col := d.InputPos()
	if line == 1 && col == 1 { // a token decoder: no position of its own
		line, col = 0, 0
	}
	return &NotWellFormedError{Line: line, Column: col, Msg: msg}
}

const xmlnsURL = "http://www.w3.org/2000/xmlns/"

// IsNCName reports a name without colon, as Namespaces in XML defines it
// (its characters approximated by Unicode classes beyond ASCII).
func IsNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', r == '_':
		case '0' <= r && r <= '9', r == '-', r == '.':
			if i == 0 {
				return false
			}
		case r < utf8.RuneSelf:
			return false
		case unicode.IsLetter(r) || unicode.Is(unicode.Nl, r):
		case unicode.IsDigit(r) || unicode.In(r, unicode.Mn, unicode.Mc, unicode.Lm) || r == 0xB7:
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// display writes a translated name for a message.
func display(n xml.Name) string {
	s := n.Local
	if n.Space == "xmlns" {
		s = "xmlns:" + s
	} else if n.Space != "" {
		s = "{" + n.Space + "}" + s
	}
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return strconv.Quote(s)
}

// checkStart checks a start tag as the decoder translated it. encoding/xml
// reads names with the XML 1.0 rule only and leaves a prefix it cannot
// resolve in Name.Space; it does not look for repeated attributes. So:
// every local name, and every declared prefix, is a name without colon; a
// declaration binds a prefix to a namespace (never to none, nor xml or
// xmlns otherwise than by definition), and the namespace is not a bare
// name (a relative reference, which Namespaces in XML deprecates, and
// which could not be told from an unbound prefix); a namespace that is a
// bare name is therefore a prefix no declaration bound; and no two
// attributes have the same namespace and local name.
func checkStart(d *xml.Decoder, t xml.StartElement) error {
	if err := checkName(d, t.Name, true); err != nil {
		return err
	}
	for i, a := range t.Attr {
		switch {
		case a.Name.Space == "xmlns":
			switch {
			case !IsNCName(a.Name.Local) || a.Name.Local == "xmlns":
				return notWellFormed(d, "the declaration "+display(a.Name)+" does not declare a prefix that can be")
			case a.Value == "":
				return notWellFormed(d, "the declaration "+display(a.Name)+" binds its prefix to no namespace")
			case (a.Name.Local == "xml") != (a.Value == xmlURL) || a.Value == xmlnsURL:
				return notWellFormed(d, "the declaration "+display(a.Name)+" binds a reserved prefix or namespace")
			case IsNCName(a.Value):
				return notWellFormed(d, "the declaration "+display(a.Name)+" binds a namespace that is a bare name (a relative reference)")
			}
		case a.Name.Space == "" && a.Name.Local == "xmlns":
			if a.Value == xmlURL || a.Value == xmlnsURL {
				return notWellFormed(d, "the default namespace is declared as a reserved one")
			}
			if IsNCName(a.Value) {
				return notWellFormed(d, "the default namespace is a bare name (a relative reference)")
			}
		default:
			if err := checkName(d, a.Name, false); err != nil {
				return err
			}
		}
		for _, b := range t.Attr[:i] {
			if b.Name == a.Name {
				return notWellFormed(d, "the attribute "+display(a.Name)+" appears twice in <"+t.Name.Local+">")
			}
		}
	}
	return nil
}

func checkName(d *xml.Decoder, n xml.Name, elem bool) error {
	what := "attribute"
	if elem {
		what = "element"
	}
	if !IsNCName(n.Local) {
		return notWellFormed(d, "the "+what+" name "+display(n)+" is not a qualified name")
	}
	switch {
	case n.Space == "xmlns":
		if elem {
			return notWellFormed(d, "the element "+display(n)+" has the prefix xmlns")
		}
	case IsNCName(n.Space):
		return notWellFormed(d, "the prefix "+strconv.Quote(n.Space)+" of the "+what+" "+strconv.Quote(n.Local)+" is not bound to a namespace")
	}
	return nil
}

// checkProcInst refuses an XML declaration inside an element: it belongs
// at the start of a document only.
func checkProcInst(d *xml.Decoder, p xml.ProcInst) error {
	if strings.EqualFold(p.Target, "xml") {
		return notWellFormed(d, "an XML declaration (<?xml …?>) inside an element")
	}
	return nil
}
