package naming

import (
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestInitialismsOfTheScheme(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ui", "UI"}, {"ui_input", "UIInput"}, {"aps", "APS"}, {"smb", "SMB"},
		{"sb-site-uuid", "SbSiteUUID"}, {"ascii-name", "ASCIIName"}, {"www", "WWW"},
		{"www-root", "WWWRoot"}, {"ok", "OK"}, {"sql-server", "SQLServer"},
		{"guid", "GUID"}, {"sso", "SSO"}, {"api", "API"}, {"tcp", "TCP"},
		{"guide", "Guide"}, {"uid", "UID"}, {"build", "Build"}, {"token", "Token"},
		{"errcode", "ErrCode"}, {"errtext", "ErrText"}, {"errcodes", "Errcodes"},
	}
	for _, tt := range tests {
		if got := Exported(tt.in); got != tt.want {
			t.Errorf("Exported(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got := Unexported("errcode"); got != "errCode" {
		t.Errorf(`Unexported("errcode") = %q, want "errCode"`, got)
	}
}

func TestTypeName(t *testing.T) {
	tests := []struct {
		xsd    string
		simple bool
		want   string
	}{
		{"DomainFilterType", false, "DomainFilter"},
		{"resultType", false, "Result"},
		{"IPTypeType", true, "IPType"},
		{"IPTypeType", false, "IPType"},
		{"ButtonDataTypeType", false, "ButtonDataType"},
		{"ipType", true, "IPType"},
		{"hostingType", true, "HostingType"},
		{"Type", false, "Type"},
		{"type", false, "Type"},
		{"Subtype", false, "Subtype"},
		{"DatabaseSetDBUserOutputtype", false, "DatabaseSetDBUserOutputtype"},
		{"ClientTypeRequest", false, "ClientTypeRequest"},
		{"MappedIp", false, "MappedIP"},
		{"1Type", false, "X1"},
	}
	for _, tt := range tests {
		if got := TypeName(tt.xsd, tt.simple); got != tt.want {
			t.Errorf("TypeName(%q, %v) = %q, want %q", tt.xsd, tt.simple, got, tt.want)
		}
	}
}

func TestJoinAndPath(t *testing.T) {
	tests := []struct{ base, elem, want string }{
		{"CustomerGet", "result", "CustomerGetResult"},
		{"CustomerAdd", "gen_info", "CustomerAddGenInfo"},
		{"DNSRecord", "record-type", "DNSRecordType"},
		{"ServerSetPPBConnection", "connection", "ServerSetPPBConnectionData"},
		{"EventLogGetEvents", "events", "EventLogGetEventsData"},
		{"IPAddress", "ip", "IPAddressIP"},
		{"WebspaceGet", "ip-address", "WebspaceGetIPAddress"},
		{"Webspace", "1.6", "Webspace16"},
		{"Webspace", "--", "WebspaceX"},
		{"", "customer", "Customer"},
		{"", "1.6", "X16"},
	}
	for _, tt := range tests {
		got := Join(tt.base, tt.elem)
		if got != tt.want {
			t.Errorf("Join(%q, %q) = %q, want %q", tt.base, tt.elem, got, tt.want)
		}
		if got == tt.base || !token.IsIdentifier(got) || !token.IsExported(got) {
			t.Errorf("Join(%q, %q) = %q: not a new exported identifier", tt.base, tt.elem, got)
		}
	}
	paths := []struct {
		parts []string
		want  string
	}{
		{[]string{"customer", "get"}, "CustomerGet"},
		{[]string{"webspace", "db-servers", "add"}, "WebspaceDBServersAdd"},
		{[]string{"domainLimits", "overuse"}, "DomainLimitsOveruse"},
		{nil, "X"},
	}
	for _, tt := range paths {
		if got := Path(tt.parts...); got != tt.want {
			t.Errorf("Path(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}

func TestEnumConstSymbols(t *testing.T) {
	tests := []struct{ typ, value, want string }{
		{"S", "a-b", "SAMinusB"},
		{"S", "a_b", "SAUnderscoreB"},
		{"S", "A B", "SASpaceB"},
		{"S", "1.5", "S1Dot5"},
		{"S", "", "SEmpty"},
		{"S", "ok", "SOK"},
		{"", "-", "Minus"},
	}
	for _, tt := range tests {
		if got := EnumConstSymbols(tt.typ, tt.value); got != tt.want {
			t.Errorf("EnumConstSymbols(%q, %q) = %q, want %q", tt.typ, tt.value, got, tt.want)
		}
	}
}

func TestLint(t *testing.T) {
	tests := []struct {
		name string
		want []string // substrings, one per problem, in order
	}{
		{"CustomerGetResult", nil},
		{"IPv4Address", nil},
		{"ErrCode", nil},
		{"Validate_", nil},
		{"X1691", nil},
		{"WebspaceDBServersAdd", nil},
		{"FilterIDs", nil},
		{"Ui", []string{`"Ui" should be "UI"`}},
		{"SbSiteUuid", []string{`"Uuid" should be "UUID"`}},
		{"AsciiName", []string{`"Ascii" should be "ASCII"`}},
		{"ResultStatusOk", []string{`"Ok" should be "OK"`}},
		{"FilterIds", []string{`"Ids" should be "IDs"`}},
		{"Errcode", []string{`"Errcode" should be "ErrCode"`}},
		{"IPTypeType", []string{`"Type" stutters`}},
		{"ResultResult", []string{`"Result" stutters`}},
		{"IPIp", []string{`"Ip" should be "IP"`, `"IP" stutters`}},
		{"SAB_2", []string{`"_2" is a disambiguating suffix`}},
		{"Name_", []string{`trailing "_" is a disambiguating suffix`}},
	}
	for _, tt := range tests {
		got := Lint(tt.name)
		if len(got) != len(tt.want) {
			t.Errorf("Lint(%q) = %q, want %d problems %q", tt.name, got, len(tt.want), tt.want)
			continue
		}
		for i, w := range tt.want {
			if !strings.Contains(got[i], w) || !strings.HasPrefix(got[i], tt.name+": ") {
				t.Errorf("Lint(%q)[%d] = %q, want it to name %s", tt.name, i, got[i], w)
			}
		}
	}
}

func TestEndsInDigit(t *testing.T) {
	yes := []string{"DatabaseServerResultType2", "Items2", "Foo_2", "Level15"}
	no := []string{"IPv4", "IPv6", "POP3", "UTF8", "Result", "", "IPv4Address"}
	for _, s := range yes {
		if !EndsInDigit(s) {
			t.Errorf("EndsInDigit(%q) = false, want true", s)
		}
	}
	for _, s := range no {
		if EndsInDigit(s) {
			t.Errorf("EndsInDigit(%q) = true, want false", s)
		}
	}
}

// TestExportedPassesLint checks that the converter and the linter agree:
// nothing Exported makes of an XML name is reported by Lint, except a
// stutter the XML name itself has.
func TestExportedPassesLint(t *testing.T) {
	for _, tt := range exportedTests {
		got := Lint(tt.want)
		got = slices.DeleteFunc(got, func(p string) bool { return strings.Contains(p, "stutters") })
		if diff := cmp.Diff([]string(nil), got); diff != "" && !strings.ContainsAny(tt.want, "_") {
			t.Errorf("Lint(Exported(%q) = %q) mismatch (-want +got):\n%s", tt.in, tt.want, diff)
		}
	}
}
