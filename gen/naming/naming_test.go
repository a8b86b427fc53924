package naming

import (
	"go/token"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

var exportedTests = []struct {
	in, want string
}{
	// The examples of the brief and the style guide.
	{"ipV4-address", "IPv4Address"},
	{"ipV6-address", "IPv6Address"},
	{"get_fs", "GetFS"},
	{"db_server", "DBServer"},
	{"assign-to-subscription", "AssignToSubscription"},
	{"plan-guid", "PlanGUID"},
	{"filter-id", "FilterID"},
	{"webspace-id", "WebspaceID"},
	{"ftp_login", "FTPLogin"},
	{"ssl", "SSL"},
	{"dns_zone", "DNSZone"},
	{"http-url", "HTTPURL"},
	{"migration_id", "MigrationID"},
	{"ClientTypeRequest", "ClientTypeRequest"},
	{"resultType", "ResultType"},
	{"DatabaseAssignToSubscriptionInputType", "DatabaseAssignToSubscriptionInputType"},
	{"HTTP_AUTH_LOGIN", "HTTPAuthLogin"},
	{"ip_type", "IPType"},
	{"IP", "IP"},
	{"ipAddress", "IPAddress"},
	{"IPAddress", "IPAddress"},
	{"hostingType", "HostingType"},
	{"get-domain-list", "GetDomainList"},
	{"plesk-version", "PleskVersion"},
	{"x-y--z", "XYZ"},
	{"ABCDef", "ABCDef"},
	{"switch-subscription", "SwitchSubscription"},
	{"plan-external-id", "PlanExternalID"},
	{"no-plan", "NoPlan"},

	// Every separator.
	{"a-b_c.d e:f/g", "ABCDEFG"},
	{"gen_info", "GenInfo"},
	{"text/html", "TextHTML"},
	{"xs:string", "XsString"},

	// Leading digits and empty names.
	{"1.6.9.1", "X1691"},
	{"1", "X1"},
	{"2fa-code", "X2faCode"},
	{"", "X"},
	{"-", "X"},
	{"_", "X"},
	{" .-_: ", "X"},
	{"__id__", "ID"},

	// Digits stay with the word before them.
	{"up2date", "Up2date"},
	{"HTTP2Server", "HTTP2Server"},
	{"level2-domain", "Level2Domain"},
	{"utf-8", "UTF8"},
	{"utf8", "UTF8"},
	{"pop3", "POP3"},
	{"pop3-server", "POP3Server"},
	{"x509cert", "X509cert"},

	// IPv4 and IPv6 in every spelling.
	{"ipv4", "IPv4"},
	{"ipV4", "IPv4"},
	{"IPv4", "IPv4"},
	{"IPV4", "IPv4"},
	{"IPv4Address", "IPv4Address"},
	{"IPV4Address", "IPv4Address"},
	{"ipv6_address", "IPv6Address"},
	{"ip-v4", "IPv4"},
	{"ip_v4_address", "IPv4Address"},

	// Initialisms match whole words only, in any case.
	{"fs", "FS"},
	{"fsize", "Fsize"},
	{"Identity", "Identity"},
	{"idle", "Idle"},
	{"id", "ID"},
	{"Id", "ID"},
	{"iD", "ID"},
	{"filterId", "FilterID"},
	{"dnsIpSelectionFilterType", "DNSIPSelectionFilterType"},
	{"APSUrlPrefixType", "APSURLPrefixType"},
	{"DatabaseAddDBUserInputType", "DatabaseAddDBUserInputType"},
	{"SSOGetRelayInput", "SSOGetRelayInput"},
	{"forwardingURL", "ForwardingURL"},
	{"site_alias_dns_zone", "SiteAliasDNSZone"},
	{"api-key", "APIKey"},
	{"https", "HTTPS"},
	{"ftps", "FTPS"},
	{"smtps-port", "SMTPSPort"},
	{"ttl", "TTL"},
	{"mx", "MX"},
	{"json", "JSON"},
	{"php_handler_id", "PHPHandlerID"},

	// Plurals of initialisms.
	{"ids", "IDs"},
	{"filter-ids", "FilterIDs"},
	{"IDs", "IDs"},
	{"urls", "URLs"},
	{"ipAddresses", "IPAddresses"},
	{"FILTER_IDS", "FilterIDs"},
	{"IDS", "IDS"}, // one upper-case token: kept, not a plural

	// SCREAMING_SNAKE_CASE is lowered; a single upper-case token is kept.
	{"CONNECTION_FAILED", "ConnectionFailed"},
	{"NO_ERROR", "NoError"},
	{"PERMISSION_DENIED", "PermissionDenied"},
	{"AAAA", "AAAA"},
	{"CNAME", "CNAME"},
	{"PT12H", "PT12H"},
	{"P1D", "P1D"},
	{"ABC-DEF", "AbcDef"},
	{"ABC-Def", "ABCDef"},
	{"HTTP_2", "HTTP2"},

	// Mixed case kept as written.
	{"pleskOS", "PleskOS"},
	{"domainHType", "DomainHType"},
	{"DomainTemplatePHostingPreferences", "DomainTemplatePHostingPreferences"},
	{"passwordChar", "PasswordChar"},
	{"RedHat", "RedHat"},
	{"iPhone", "IPhone"},

	// Non-ASCII letters are kept.
	{"größe", "Größe"},
	{"über-alles", "ÜberAlles"},
	{"中文", "X中文"},
	{"name-中文", "Name中文"},
	{"ǆ", "Ǆ"},
	{"\xff\xfeid", "ID"}, // invalid UTF-8 separates
}

func TestMaxInitialism(t *testing.T) {
	longest := 0
	for k, v := range initialisms {
		longest = max(longest, len(k))
		if k != strings.ToLower(v) {
			t.Errorf("initialisms[%q] = %q, key is not the lower-case spelling", k, v)
		}
	}
	if longest != maxInitialism {
		t.Errorf("maxInitialism = %d, longest key has %d bytes", maxInitialism, longest)
	}
}

func TestExported(t *testing.T) {
	for _, tt := range exportedTests {
		if diff := cmp.Diff(tt.want, Exported(tt.in)); diff != "" {
			t.Errorf("Exported(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

// TestExportedFixedPoint checks that feeding a result back in keeps it,
// so names that are already Go identifiers (XSD type names) are stable.
func TestExportedFixedPoint(t *testing.T) {
	for _, tt := range exportedTests {
		if got := Exported(tt.want); got != tt.want {
			t.Errorf("Exported(%q) = %q, want it unchanged", tt.want, got)
		}
	}
}

func TestUnexported(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"ID", "id"},
		{"id", "id"},
		{"IPAddress", "ipAddress"},
		{"ip-address", "ipAddress"},
		{"URL", "url"},
		{"IPv4Address", "ipv4Address"},
		{"ipV6-address", "ipv6Address"},
		{"ids", "ids"},
		{"filter-id", "filterID"},
		{"plan-guid", "planGUID"},
		{"ABCDef", "abcDef"},
		{"HTTP2Server", "http2Server"},
		{"HTTP_AUTH_LOGIN", "httpAuthLogin"},
		{"ClientTypeRequest", "clientTypeRequest"},
		{"resultType", "resultType"},
		{"get-domain-list", "getDomainList"},
		{"iPhone", "iPhone"},
		{"1.6.9.1", "x1691"},
		{"", "x"},
		{"--", "x"},
		{"中文", "中文"},
		{"Über", "über"},
		{"ϒ", "xϒ"}, // upper case without a lower-case form

		// Keywords and predeclared identifiers.
		{"type", "type_"},
		{"Type", "type_"},
		{"func", "func_"},
		{"range", "range_"},
		{"string", "string_"},
		{"len", "len_"},
		{"nil", "nil_"},
		{"true", "true_"},
		{"any", "any_"},
		{"error", "error_"},
		{"map", "map_"},
		{"default", "default_"},
		{"min", "min_"},
		{"x", "x"},
		{"types", "types"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Unexported(tt.in)); diff != "" {
			t.Errorf("Unexported(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func TestEnumConst(t *testing.T) {
	tests := []struct {
		typ, value, want string
	}{
		{"StatusType", "ok", "StatusTypeOK"},
		{"StatusType", "error", "StatusTypeError"},
		{"StatusType", "on", "StatusTypeOn"},
		{"StatusType", "", "StatusTypeEmpty"},
		{"StatusType", "1", "StatusType1"},
		{"StatusType", "1024", "StatusType1024"},
		{"StatusType", "-1", "StatusTypeMinus1"},
		{"StatusType", "+1", "StatusTypePlus1"},
		{"StatusType", "1.5", "StatusType15"},
		{"StatusType", "+", "StatusTypePlus"},
		{"StatusType", "-", "StatusTypeMinus"},
		{"StatusType", "*", "StatusTypeStar"},
		{"StatusType", "--", "StatusTypeMinusMinus"},
		{"StatusType", " ", "StatusTypeSpace"},
		{"StatusType", "_", "StatusTypeUnderscore"},
		{"StatusType", "§", "StatusTypeUA7"},
		{"StatusType", "+§", "StatusTypePlusUA7"},
		{"StatusType", "-foo", "StatusTypeFoo"},
		{"StatusType", "text/html", "StatusTypeTextHTML"},
		{"StatusType", "CONNECTION_FAILED", "StatusTypeConnectionFailed"},
		{"StatusType", "AAAA", "StatusTypeAAAA"},
		{"StatusType", "PT12H", "StatusTypePT12H"},
		{"StatusType", "dns_zone", "StatusTypeDNSZone"},
		{"StatusType", "up2date", "StatusTypeUp2date"},
		{"StatusType", "RedHat", "StatusTypeRedHat"},
		{"StatusType", "中文", "StatusType中文"},
		{"", "ok", "OK"},
		{"", "1", "X1"},
		{"", "", "Empty"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, EnumConst(tt.typ, tt.value)); diff != "" {
			t.Errorf("EnumConst(%q, %q) mismatch (-want +got):\n%s", tt.typ, tt.value, diff)
		}
	}
}

func TestIsReservedMethod(t *testing.T) {
	tests := map[string]bool{
		"Validate":       true,
		"MarshalXML":     true,
		"UnmarshalXML":   true,
		"String":         true,
		"validate":       false,
		"Validate_":      false,
		"Name":           false,
		"MarshalXMLAttr": false,
	}
	for name, want := range tests {
		if got := IsReservedMethod(name); got != want {
			t.Errorf("IsReservedMethod(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestField(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"validate", "Validate_"},
		{"string", "String_"},
		{"marshal-xml", "MarshalXML_"},
		{"unmarshal_xml", "UnmarshalXML_"},
		{"plan-guid", "PlanGUID"},
		{"validated", "Validated"},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, Field(tt.in)); diff != "" {
			t.Errorf("Field(%q) mismatch (-want +got):\n%s", tt.in, diff)
		}
	}
}

func FuzzExported(f *testing.F) {
	for _, tt := range exportedTests {
		f.Add(tt.in)
	}
	f.Add("ϒ")
	f.Add("\u0345x") // a combining mark: not a letter
	f.Fuzz(func(t *testing.T, s string) {
		got := Exported(s)
		if !token.IsIdentifier(got) || !token.IsExported(got) {
			t.Errorf("Exported(%q) = %q, not an exported identifier", s, got)
		}
		un := Unexported(s)
		if !token.IsIdentifier(un) || token.IsExported(un) || goReserved[un] {
			t.Errorf("Unexported(%q) = %q, not a free unexported identifier", s, un)
		}
		if r, _ := utf8.DecodeRuneInString(un); unicode.IsDigit(r) {
			t.Errorf("Unexported(%q) = %q starts with a digit", s, un)
		}
		ec := EnumConst("T", s)
		if !token.IsIdentifier(ec) || !token.IsExported(ec) {
			t.Errorf("EnumConst(T, %q) = %q, not an exported identifier", s, ec)
		}
		fd := Field(s)
		if !token.IsIdentifier(fd) || !token.IsExported(fd) {
			t.Errorf("Field(%q) = %q, not an exported identifier", s, fd)
		}
	})
}

func BenchmarkExported(b *testing.B) {
	names := []string{
		"DatabaseAssignToSubscriptionInputType",
		"ipV4-address",
		"HTTP_AUTH_LOGIN",
		"site_alias_dns_zone",
		"plan-external-id",
		"1.6.9.1",
	}
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range names {
			Exported(n)
		}
	}
}
