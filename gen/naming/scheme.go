package naming

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The suffixes of the names given by role (see the package documentation,
// "Roles"). Call and Reply are the vocabulary of RPC messages; Plesk's
// schemas never use them, while their own type names end in Input, Output,
// Request and Response, so role names cannot collide with schema names.
const (
	// CallSuffix ends the name of an operator element in a request:
	// <packet><customer> is CustomerCall.
	CallSuffix = "Call"
	// ReplySuffix ends the name of an operator or operation element in a
	// response: <packet><customer> is CustomerReply, <customer><get> is
	// CustomerGetReply.
	ReplySuffix = "Reply"
	// ResultSuffix ends the name of a <result> element in a response:
	// CustomerGetResult.
	ResultSuffix = "Result"
)

// TypeName returns the Go name of a named XSD type: [Exported], with the
// XSD habit of ending type names in "Type" undone. A doubled "TypeType" at
// the end is written once and nothing more is dropped ("IPTypeType" ->
// "IPType", "ButtonDataTypeType" -> "ButtonDataType"). Otherwise a complex
// type (simple false) loses a trailing "Type" word when other words remain
// ("DomainFilterType" -> "DomainFilter", "resultType" -> "Result", but
// "Type" stays "Type"). A simple type (an enumeration) keeps it, because
// there the word is the meaning: "ipType" enumerates the types of an IP
// address and stays IPType.
func TypeName(xsdName string, simple bool) string {
	name := Exported(xsdName)
	if strings.HasSuffix(name, "TypeType") {
		return strings.TrimSuffix(name, "Type")
	}
	if !simple {
		if stem, ok := strings.CutSuffix(name, "Type"); ok && startsUpper(stem) {
			return stem
		}
	}
	return name
}

// Path returns the exported name of an element path, each XML name
// converted with [Exported] and joined with [Join]:
//
//	("customer", "get")              -> "CustomerGet"
//	("webspace", "db-servers", "add") -> "WebspaceDBServersAdd"
func Path(xmlNames ...string) string {
	name := ""
	for _, s := range xmlNames {
		name = Join(name, s)
	}
	if name == "" {
		return Exported("")
	}
	return name
}

// Join returns base followed by the exported spelling of the XML name
// elem, with a word repeated across the seam written once, so that names
// built from a path do not stutter:
//
//	("DNSRecord", "record-type") -> "DNSRecordType"
//	("CustomerGet", "result")    -> "CustomerGetResult"
//	("", "1.6")                  -> "X16"
//
// base is a Go identifier or "".
func Join(base, elem string) string {
	e := Exported(elem)
	if base == "" {
		return e
	}
	bw := splitWords(base)
	ew := splitWords(elem)
	if len(ew) == 0 {
		return base + "X"
	}
	if len(bw) > 0 && sameWord(bw[len(bw)-1], ew[0]) {
		if len(ew) == 1 {
			return base + RepeatSuffix
		}
		ew = ew[1:]
	}
	return base + pascal(ew)
}

// RepeatSuffix is what [Join] writes for an element that is the last word
// of its owner's name again: <set-ppb-connection><connection> is
// ServerSetPPBConnectionData, not ServerSetPPBConnectionConnection.
const RepeatSuffix = "Data"

func sameWord(a, b word) bool {
	return strings.EqualFold(goSpelling(a), goSpelling(b))
}

func goSpelling(w word) string {
	if w.init != "" {
		return w.init
	}
	return upperFirst(w.text)
}

// Lint returns what is wrong with the exported Go identifier name under the
// rules of this package, one sentence each, or nil:
//
//   - a word that is an initialism spelled otherwise than the table has it
//     ("Ui", "Uuid", "ResultStatusOk", "Ids");
//   - a compound spelled as one word ("Errcode" for ErrCode);
//   - a word written twice in a row ("IPTypeType", "ResultResult");
//   - a disambiguating suffix: "_" followed by digits, or a trailing "_"
//     that is not the reserved-method escape of [Field].
//
// A trailing digit without "_" ("Type2") cannot be judged from the name
// alone (POP3, X509 and values like "1024" are fine); see [EndsInDigit].
func Lint(name string) []string {
	var out []string
	core := strings.TrimRight(name, "_")
	if core != name && !IsReservedMethod(core) {
		out = append(out, fmt.Sprintf("%s: trailing %q is a disambiguating suffix", name, name[len(core):]))
	}
	if i := strings.LastIndexByte(core, '_'); i >= 0 && i+1 < len(core) && strings.Trim(core[i+1:], "0123456789") == "" {
		out = append(out, fmt.Sprintf("%s: %q is a disambiguating suffix", name, core[i:]))
	}
	var runs []string
	for _, p := range strings.FieldsFunc(core, isSep) {
		runs = splitCase(runs, p)
	}
	for _, r := range runs {
		if c, ok := compounds[strings.ToLower(r)]; ok && r != c {
			out = append(out, fmt.Sprintf("%s: %q should be %q", name, r, c))
		}
	}
	words := splitWords(core)
	for i, w := range words {
		if w.init != "" && w.text != w.init {
			out = append(out, fmt.Sprintf("%s: %q should be %q", name, w.text, w.init))
		}
		if i > 0 && sameWord(words[i-1], w) && hasLetter(w.text) {
			out = append(out, fmt.Sprintf("%s: %q stutters", name, goSpelling(w)))
		}
	}
	return out
}

func hasLetter(s string) bool { return strings.IndexFunc(s, unicode.IsLetter) >= 0 }

// EndsInDigit reports whether name ends in a digit that is not part of an
// initialism of the table: "DatabaseServerResultType2" and "Items2" do,
// "IPv4", "POP3" and "UTF8" do not. Whether such a digit disambiguates or
// comes from the XML name ("l15", an enumeration value "1024") is for the
// caller to decide.
func EndsInDigit(name string) bool {
	r, _ := utf8.DecodeLastRuneInString(name)
	if !unicode.IsDigit(r) {
		return false
	}
	words := splitWords(name)
	return len(words) == 0 || words[len(words)-1].init == ""
}
