package naming

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// EnumConst returns the name of the typed constant for the enumeration value
// value of the type typeName: typeName followed by the PascalCase words of
// value, without the "X" prefix of [Exported] since typeName already starts
// the identifier.
//
//	("StatusType", "ok")        -> "StatusTypeOk"
//	("StatusType", "1")         -> "StatusType1"
//	("StatusType", "text/html") -> "StatusTypeTextHTML"
//	("StatusType", "")          -> "StatusTypeEmpty"
//	("StatusType", "-1")        -> "StatusTypeMinus1"
//	("StatusType", "+")         -> "StatusTypePlus"
//	("StatusType", "§")         -> "StatusTypeUA7"
//
// A value without letters or digits is spelled rune by rune: the ASCII
// symbols by the names of the symbolNames table in enum.go ('+' "Plus", '-'
// "Minus", '*' "Star", '.' "Dot", ' ' "Space", ...), any other rune as "U"
// and its upper-case hex code point; the empty value is "Empty". A '-' or '+' directly before a digit at
// the start of the value is spelled too, so "-1" (Plesk's "unlimited") and
// "1" get different names. Other symbols inside a value only separate words,
// so distinct values can still give the same name ("1.5" and "15"); the
// caller resolves such clashes with a [Uniquer].
//
// typeName is expected to be an exported identifier; if it is empty the
// result is prefixed like [Exported] would be.
func EnumConst(typeName, value string) string {
	name := typeName + enumSuffix(value)
	if !startsUpper(name) {
		name = "X" + name
	}
	return name
}

// symbolNames spells the symbols of enumeration values that have no letter
// or digit.
var symbolNames = map[rune]string{
	' ':  "Space",
	'!':  "Bang",
	'"':  "Quote",
	'#':  "Hash",
	'$':  "Dollar",
	'%':  "Percent",
	'&':  "Amp",
	'\'': "Apos",
	'(':  "LParen",
	')':  "RParen",
	'*':  "Star",
	'+':  "Plus",
	',':  "Comma",
	'-':  "Minus",
	'.':  "Dot",
	'/':  "Slash",
	':':  "Colon",
	';':  "Semicolon",
	'<':  "Less",
	'=':  "Equal",
	'>':  "Greater",
	'?':  "Question",
	'@':  "At",
	'[':  "LBracket",
	'\\': "Backslash",
	']':  "RBracket",
	'^':  "Caret",
	'_':  "Underscore",
	'`':  "Backquote",
	'{':  "LBrace",
	'|':  "Pipe",
	'}':  "RBrace",
	'~':  "Tilde",
}

func enumSuffix(value string) string {
	if value == "" {
		return "Empty"
	}
	if strings.IndexFunc(value, func(r rune) bool { return !isSep(r) }) < 0 {
		var b strings.Builder
		for _, r := range value {
			b.WriteString(symbolName(r))
		}
		return b.String()
	}
	prefix := ""
	if len(value) > 1 && (value[0] == '-' || value[0] == '+') {
		if r, _ := utf8.DecodeRuneInString(value[1:]); unicode.IsDigit(r) {
			prefix = symbolNames[rune(value[0])]
		}
	}
	return prefix + pascal(splitWords(value))
}

func symbolName(r rune) string {
	if s, ok := symbolNames[r]; ok {
		return s
	}
	return fmt.Sprintf("U%X", r)
}

// EnumConstSymbols is [EnumConst] with every rune that is neither a letter
// nor a digit spelled by its name, for values that EnumConst gives the same
// name:
//
//	("S", "a-b") -> "SAMinusB"
//	("S", "a_b") -> "SAUnderscoreB"
//	("S", "A B") -> "SASpaceB"
func EnumConstSymbols(typeName, value string) string {
	if value == "" {
		return EnumConst(typeName, value)
	}
	var b strings.Builder
	b.WriteString(typeName)
	start := -1
	flush := func(end int) {
		if start >= 0 {
			b.WriteString(pascal(splitWords(value[start:end])))
			start = -1
		}
	}
	for i, r := range value {
		if isSep(r) {
			flush(i)
			b.WriteString(symbolName(r))
			continue
		}
		if start < 0 {
			start = i
		}
	}
	flush(len(value))
	name := b.String()
	if !startsUpper(name) {
		name = "X" + name
	}
	return name
}
