// Package naming turns XML and XSD names into Go identifiers.
//
// Every function is pure and deterministic: the same input always gives the
// same identifier, independent of call order. gen/model applies them to a
// whole package by the scheme below; the README's "Names" section is the
// user's summary of it.
//
// # The scheme
//
// Types that fill a role of the protocol are named by their element path,
// whatever the schema calls them (DatabaseAddDBInputType is DatabaseAddDB):
//
//	<packet> in a request, in a response    RequestPacket, ResponsePacket
//	<packet><customer> in a request         CustomerCall
//	<packet><customer> in a response        CustomerReply
//	<customer><add> in a request            CustomerAdd (operator + operation)
//	<customer><add> in a response           CustomerAddReply
//	<customer><add><result>                 CustomerAddResult
//	<webspace><db-servers><add>             WebspaceDBServersAdd (grouped operations)
//
// Call and Reply ([CallSuffix], [ReplySuffix]) are words Plesk's schemas do
// not use, so a role name never collides with a schema's type name, and
// "Response" is kept for the one thing that is a response: the packet. A
// named XSD type takes the role name when every use of it is a role of one
// operator (the first role names it: MigrationId, the request of both
// <migration><finish> and <get_status>, is MigrationFinish); a named type
// that also serves elsewhere, or serves several operators, keeps its own
// name, and each request and result role it fills gets the path name as an
// alias (type DNSAddRec = DNSRecord), so that every operation's signature
// reads Op(ctx, *CustomerAdd) ([]CustomerAddResult, error).
//
// Other named XSD types keep their name, through [TypeName]: a complex
// type loses the XSD habit of a trailing "Type" (DomainFilterType is
// DomainFilter), an enumeration keeps it because there it means something
// (ipType, the types of an IP address, is IPType), and a doubled
// "TypeType" is written once. Anonymous types are named after their
// owner's name and their element ([Join]): CustomerAdd + gen_info is
// CustomerAddGenInfo; inside an operator the operator's name is the owner's
// (CustomerChangeOwner, not CustomerCallChangeOwner). Enumeration constants
// are the type's name and the value's words ([EnumConst]: ResultStatusOK).
// Identical enumerations (the same values in the same order) are one type,
// named after the first, a named one before an anonymous one.
//
// No name is made unique by a number. A clash is resolved by context where
// a rule gives one: an attribute named like an element gets "Attr", the
// generator's own fields (Unknown, Any, Items) get "XML" before them, a
// named type whose shortened name is taken keeps its "Type", the response
// version of a type that differs between the sides gets "Reply", two
// enumeration values with the same words spell their symbols
// ([EnumConstSymbols]: "a-b" SAMinusB, "a_b" SAUnderscoreB). Any other clash
// is an error naming both positions and the -rename entry that resolves it:
// "-rename XSDTypeName=GoName" for a named type, "-rename path=GoName" for
// an anonymous type, "-rename type.element=GoName" (".@attribute") for a
// field, each as the message prints it ("customer/add/gen_info",
// "DomainFilterType.id").
//
// [Lint] checks an identifier against these rules and [EndsInDigit] finds
// a trailing digit; gen's TestGeneratedNames runs them over every generated
// package.
//
// # Words
//
// A name is first split into words. Every rune that is neither a letter nor
// a digit (unicode.IsLetter, unicode.IsDigit) separates words, so '-', '_',
// '.', ' ', ':' and '/' all do. Inside a run of letters and digits a new word
// starts at an upper-case letter that follows a non-upper-case rune
// ("resultType" -> "result" "Type", "V4Address" -> "V4" "Address") and at the
// last upper-case letter of an upper-case run that is followed by a
// lower-case letter ("IPAddress" -> "IP" "Address"). Digits stay attached to
// the word before them ("ipV4" -> "ip" "V4", "up2date" is one word).
//
// A name without lower-case letters that has at least two separated parts
// with letters is SCREAMING_SNAKE_CASE and is lower-cased first
// ("HTTP_AUTH_LOGIN" -> "http" "auth" "login"). A single upper-case token is
// kept as written ("AAAA", "CNAME", "PT12H").
//
// # Initialisms
//
// A word that matches an entry of the initialisms table in naming.go (the
// ones golint knows, ID, URL, HTTP, JSON, SQL, UUID, UI, ..., and Plesk's:
// APS, DB, DNS, FTP, SMB, SSO, WWW, PHP, OK, ...)
// case-insensitively is spelled as the table says ("id" -> "ID", "ipv4" ->
// "IPv4"), and so is its plural with a lower-case 's' ("ids" -> "IDs"). Only
// whole words match: "fs" is "FS", "fsize" is "Fsize". Up to three adjacent
// words that together spell an initialism are joined first, left to right
// and longest first, which is how "ipV4", "IPv4", "ip-v4" and "utf-8" become
// "IPv4" and "UTF8". Every other word gets its first letter upper-cased and
// keeps the rest as written, so an already PascalCase name stays as it is
// ("ABCDef", "ClientTypeRequest"). A few single XML words are two Go words
// (the compounds table: "errcode" is ErrCode, "errtext" ErrText, as
// rpc.Result has them).
//
// # Leading digits and empty names
//
// An exported name that would not start with an upper-case letter gets the
// prefix "X": "1.6.9.1" -> "X1691" (separators are dropped, not turned into
// underscores, so version-like names stay short). A name without letters or
// digits ("", "--") becomes "X". [Unexported] uses "x" in the same places.
package naming

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// initialisms is the one table of initialisms, keyed by the lower-case word
// and giving the Go spelling. Keep it sorted by key.
//
// Besides the common ones it holds the secure protocol variants (FTPS, IMAPS,
// POP3S, SMTPS) so that "ftps" is not read as the plural "FTPs".
var initialisms = map[string]string{
	"acl":   "ACL",
	"api":   "API",
	"aps":   "APS",
	"ascii": "ASCII",
	"aws":   "AWS",
	"cgi":   "CGI",
	"cpu":   "CPU",
	"css":   "CSS",
	"db":    "DB",
	"dkim":  "DKIM",
	"dmarc": "DMARC",
	"dns":   "DNS",
	"eof":   "EOF",
	"fs":    "FS",
	"ftp":   "FTP",
	"ftps":  "FTPS",
	"gid":   "GID",
	"guid":  "GUID",
	"html":  "HTML",
	"http":  "HTTP",
	"https": "HTTPS",
	"id":    "ID",
	"imap":  "IMAP",
	"imaps": "IMAPS",
	"ip":    "IP",
	"ipv4":  "IPv4",
	"ipv6":  "IPv6",
	"json":  "JSON",
	"ldap":  "LDAP",
	"mx":    "MX",
	"ok":    "OK",
	"php":   "PHP",
	"pop3":  "POP3",
	"pop3s": "POP3S",
	"rpc":   "RPC",
	"smb":   "SMB",
	"smtp":  "SMTP",
	"smtps": "SMTPS",
	"spf":   "SPF",
	"sql":   "SQL",
	"ssh":   "SSH",
	"ssl":   "SSL",
	"sso":   "SSO",
	"tcp":   "TCP",
	"tls":   "TLS",
	"ttl":   "TTL",
	"udp":   "UDP",
	"ui":    "UI",
	"uid":   "UID",
	"uri":   "URI",
	"url":   "URL",
	"utf8":  "UTF8",
	"uuid":  "UUID",
	"vm":    "VM",
	"www":   "WWW",
	"xml":   "XML",
	"xmpp":  "XMPP",
	"xsrf":  "XSRF",
	"xss":   "XSS",
}

// maxInitialism is the length in bytes of the longest key of initialisms.
const maxInitialism = 5

// maxJoin is the most adjacent words that are joined into one initialism
// ("U" "R" "Ls" -> "URLs").
const maxJoin = 3

// initialism returns the Go spelling of word if it is an initialism or the
// plural of one, and whether it is.
func initialism(word string) (string, bool) {
	if len(word) > maxInitialism+1 { // +1 for a plural 's'
		return "", false
	}
	lower := strings.ToLower(word)
	if s, ok := initialisms[lower]; ok {
		return s, true
	}
	if stem, ok := strings.CutSuffix(word, "s"); ok {
		if s, ok := initialisms[strings.ToLower(stem)]; ok {
			return s + "s", true
		}
	}
	return "", false
}

// word is one word of a name: its text as written (after the
// SCREAMING_SNAKE_CASE lowering) and, for an initialism, its Go spelling.
type word struct {
	text string
	init string // "" unless the word is an initialism
}

// isSep reports whether r separates words.
func isSep(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// splitWords splits s into words as the package documentation describes.
func splitWords(s string) []word {
	parts := strings.FieldsFunc(s, isSep)
	if screaming(parts) {
		for i, p := range parts {
			parts[i] = strings.ToLower(p)
		}
	}
	var runs []string
	for _, p := range parts {
		runs = splitCase(runs, p)
	}
	words := make([]word, 0, len(runs))
	for i := 0; i < len(runs); {
		n := 1
		w := word{text: runs[i]}
		for j := min(len(runs), i+maxJoin); j > i; j-- {
			joined := runs[i]
			if j > i+1 {
				size := 0
				for _, r := range runs[i:j] {
					size += len(r)
				}
				if size > maxInitialism+1 {
					continue
				}
				joined = strings.Join(runs[i:j], "")
			}
			if s, ok := initialism(joined); ok {
				n, w = j-i, word{text: joined, init: s}
				break
			}
		}
		if w.init == "" {
			if c, ok := compounds[strings.ToLower(w.text)]; ok {
				w.text = c
			}
		}
		words = append(words, w)
		i += n
	}
	return words
}

// compounds are single XML words that Go spells as two: Plesk's result
// elements <errcode> and <errtext> are ErrCode and ErrText, as rpc.Result
// has them. Keyed by the lower-case word.
var compounds = map[string]string{
	"errcode": "ErrCode",
	"errtext": "ErrText",
}

// screaming reports whether the separated parts of a name are
// SCREAMING_SNAKE_CASE: no lower-case letter anywhere and at least two parts
// with a letter.
func screaming(parts []string) bool {
	withLetter := 0
	for _, p := range parts {
		letter := false
		for _, r := range p {
			if unicode.IsLower(r) {
				return false
			}
			letter = letter || unicode.IsLetter(r)
		}
		if letter {
			withLetter++
		}
	}
	return withLetter >= 2
}

// splitCase appends to dst the words of p, a run of letters and digits,
// split on case changes.
func splitCase(dst []string, p string) []string {
	start := 0
	var prev rune
	for i, r := range p {
		if i > 0 && unicode.IsUpper(r) {
			split := !unicode.IsUpper(prev)
			if !split {
				next, _ := utf8.DecodeRuneInString(p[i+utf8.RuneLen(r):])
				split = unicode.IsLower(next)
			}
			if split {
				dst = append(dst, p[start:i])
				start = i
			}
		}
		prev = r
	}
	return append(dst, p[start:])
}

// pascal joins words in PascalCase without any prefix; the result may start
// with a digit or a letter without case.
func pascal(words []word) string {
	var b strings.Builder
	for _, w := range words {
		if w.init != "" {
			b.WriteString(w.init)
			continue
		}
		b.WriteString(upperFirst(w.text))
	}
	return b.String()
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	u := unicode.ToUpper(r)
	if u == r {
		return s
	}
	return string(u) + s[n:]
}

// startsUpper reports whether s starts with an upper-case letter, that is,
// whether s would be exported.
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r)
}

// Exported returns the exported Go identifier (PascalCase) for the XML or
// XSD name s, following the rules of the package documentation:
//
//	"ipV4-address"     -> "IPv4Address"
//	"get_fs"           -> "GetFS"
//	"plan-guid"        -> "PlanGUID"
//	"HTTP_AUTH_LOGIN"  -> "HTTPAuthLogin"
//	"resultType"       -> "ResultType"
//	"1.6.9.1"          -> "X1691"
//	""                 -> "X"
//
// The result is always a valid exported identifier.
func Exported(s string) string {
	p := pascal(splitWords(s))
	if !startsUpper(p) {
		return "X" + p
	}
	return p
}

// Unexported returns the unexported Go identifier (lowerCamelCase) for the
// XML or XSD name s. The words are those of [Exported]; the first one is
// written in lower case entirely if it is an initialism or has no lower-case
// letter ("ID" -> "id", "IPAddress" -> "ipAddress", "ABCDef" -> "abcDef"),
// otherwise only its first letter is lowered. A name that would start with a
// digit, or with a letter that has no lower case, gets the prefix "x"; an
// empty name becomes "x". A Go keyword or predeclared identifier gets a
// trailing "_" ("type" -> "type_", "string" -> "string_").
//
// The result is always a valid unexported identifier that shadows nothing.
func Unexported(s string) string {
	words := splitWords(s)
	var first string
	if len(words) > 0 {
		w := words[0]
		switch {
		case w.init != "":
			first = strings.ToLower(w.init)
		case !hasLower(w.text):
			first = strings.ToLower(w.text)
		default:
			first = lowerFirst(w.text)
		}
		words = words[1:]
	}
	name := first + pascal(words)
	r, _ := utf8.DecodeRuneInString(name)
	if name == "" || unicode.IsDigit(r) || unicode.IsUpper(r) {
		name = "x" + name
	}
	if goReserved[name] {
		name += "_"
	}
	return name
}

func hasLower(s string) bool {
	return strings.IndexFunc(s, unicode.IsLower) >= 0
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	l := unicode.ToLower(r)
	if l == r {
		return s
	}
	return string(l) + s[n:]
}

// goReserved holds the Go keywords and the predeclared identifiers of the
// universe scope; an unexported name equal to one of them gets a trailing
// "_".
var goReserved = map[string]bool{
	// Keywords.
	"break": true, "case": true, "chan": true, "const": true, "continue": true,
	"default": true, "defer": true, "else": true, "fallthrough": true, "for": true,
	"func": true, "go": true, "goto": true, "if": true, "import": true,
	"interface": true, "map": true, "package": true, "range": true, "return": true,
	"select": true, "struct": true, "switch": true, "type": true, "var": true,
	// Predeclared types.
	"any": true, "bool": true, "byte": true, "comparable": true, "complex64": true,
	"complex128": true, "error": true, "float32": true, "float64": true, "int": true,
	"int8": true, "int16": true, "int32": true, "int64": true, "rune": true,
	"string": true, "uint": true, "uint8": true, "uint16": true, "uint32": true,
	"uint64": true, "uintptr": true,
	// Predeclared constants and zero value.
	"true": true, "false": true, "iota": true, "nil": true,
	// Predeclared functions.
	"append": true, "cap": true, "clear": true, "close": true, "complex": true,
	"copy": true, "delete": true, "imag": true, "len": true, "make": true,
	"max": true, "min": true, "new": true, "panic": true, "print": true,
	"println": true, "real": true, "recover": true,
}
