package rpc

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
)

// wfResult is a result type as a program or generated code writes it.
type wfResult struct {
	Status string `xml:"status"`
	ID     string `xml:"id"`
}

func decodeBody(body string) ([]wfResult, error) {
	inv := InvokerFunc(func(ctx context.Context, version string, ops ...*Op) error {
		return DecodeResponse(strings.NewReader(body), ops...)
	})
	return Do[wfResult](context.Background(), inv, "", &Op{Operator: "customer", Operation: "get", ReadOnly: true})
}

// What XML 1.0 and Namespaces in XML forbid, and encoding/xml lets
// through, is a malformed response naming what and where (line and byte
// offset), wherever it is: on the packet, the envelope, a result, deep in
// one.
func TestResponseNotWellFormed(t *testing.T) {
	classes := []struct {
		name, tag, says string
	}{
		{"repeated attribute", `<e a="1" a="2">`, "the attribute a appears twice"},
		{"repeated after resolution", `<e xmlns:p="urn:a" xmlns:q="urn:a" p:a="1" q:a="2">`, "are one name in one namespace"},
		{"prefix that is no name", `<e xmlns:0="urn:a">`, `"xmlns:0" is not a qualified name`},
		{"name starting with a colon", `<e :a="1">`, `":a" is not a qualified name`},
		{"name ending with a colon", `<e a:="1">`, `"a:" is not a qualified name`},
		{"local part not a name", `<p:1e xmlns:p="urn:a">`, `"p:1e" is not a qualified name`},
		{"unbound element prefix", `<p:e>`, "the prefix of <p:e> is not bound"},
		{"unbound attribute prefix", `<e p:a="1">`, "the prefix of the attribute p:a of <"},
		{"prefix undeclared", `<e xmlns:p="">`, "undeclares a prefix"},
		{"xml bound elsewhere", `<e xmlns:xml="urn:a">`, "binds a reserved prefix"},
		{"xmlns declared", `<e xmlns:xmlns="urn:a">`, "the prefix xmlns cannot be declared"},
		{"element prefixed xmlns", `<xmlns:e>`, "has the prefix xmlns"},
		{"bare-name namespace", `<e xmlns:p="p">`, "bare name"},
		{"surrogate reference", `<e>&#xD800;`, "&#xD800; names no character"},
		{"decimal surrogate reference", `<e>&#57343;`, "&#57343; names no character"},
		{"NUL reference", `<e>&#0;`, "&#0; names no character"},
		{"control reference", `<e>&#x1B;`, "&#x1B; names no character"},
		{"noncharacter reference", `<e a="&#xFFFF;">`, "&#xFFFF; names no character"},
		{"XML declaration in the body", `<e><?xml version="1.0"?>`, "XML declaration"},
	}
	where := regexp.MustCompile(`at line \d+ \(byte \d+\)`)
	for _, c := range classes {
		open := c.tag
		name := strings.Fields(strings.Trim(open, "<>"))[0]
		end := "</" + strings.TrimSuffix(name, ">") + ">"
		if strings.Contains(open, "<?") || strings.Contains(open, ">&") {
			end = "</e>"
		}
		for _, at := range []string{"packet", "operator", "result", "deep"} {
			var body string
			switch at {
			case "packet":
				body = strings.Replace(open, "<e", "<packet", 1) + "<customer><get><result><status>ok</status></result></get></customer>" +
					strings.Replace(end, "</e>", "</packet>", 1)
				if !strings.HasPrefix(open, "<e") {
					continue
				}
			case "operator":
				body = "<packet>" + open + end + "<customer><get><result><status>ok</status></result></get></customer></packet>"
			case "result":
				body = "<packet><customer><get><result><status>ok</status>" + open + end + "</result></get></customer></packet>"
			case "deep":
				body = "<packet><customer><get><result><status>ok</status><a><b>" + open + end + "</b></a></result></get></customer></packet>"
			}
			_, err := decodeBody(body)
			var te *TransportError
			if !errors.As(err, &te) || te.Kind != ErrNotXML || !strings.Contains(te.Detail, c.says) || !where.MatchString(te.Detail) {
				t.Errorf("%s, in the %s: %s\nerr = %v\nwant ErrNotXML saying %q and where", c.name, at, body, err, c.says)
			}
		}
	}
}

// The fuzz input of issue 20, as a response: refused, never decoded.
func TestResponsePrefixNotAName(t *testing.T) {
	body := `<packet><customer><get><result><status>ok</status><ops xmlns:0="p"p:0=""><p:n>0</p:n><x A=""A="">000000000000000</x></ops></result></get></customer></packet>`
	_, err := decodeBody(body)
	var te *TransportError
	if !errors.As(err, &te) || te.Kind != ErrNotXML || !strings.Contains(te.Detail, "xmlns:0") {
		t.Fatalf("err = %v, want ErrNotXML about xmlns:0", err)
	}
}

// Only Plesk's vocabulary counts: a packet, an operator or an operation in
// a namespace is an unexpected response saying so; a result in a
// namespace is not a result.
func TestResponseOtherNamespace(t *testing.T) {
	ok := "<customer><get><result><status>ok</status><id>1</id></result></get></customer>"
	for _, c := range []struct{ body, says string }{
		{`<packet xmlns="urn:other">` + ok + `</packet>`, `<packet> is in namespace "urn:other"`},
		{`<p:packet xmlns:p="urn:other">` + ok + `</p:packet>`, `<p:packet> is in namespace "urn:other"`},
		{`<packet xmlns:p="urn:other"><p:customer><get><result><status>ok</status></result></get></p:customer></packet>`, `<p:customer> where an operator belongs is in namespace "urn:other"`},
		{`<packet><customer xmlns="urn:other"><get><result><status>ok</status></result></get></customer></packet>`, `<customer> where an operator belongs`},
		{`<packet><customer><get xmlns="urn:other"><result><status>ok</status></result></get></customer></packet>`, `<get> where an operation belongs`},
		{`<packet xmlns:p="urn:other"><customer><get><p:result><status>ok</status></p:result></get></customer></packet>`, `<p:result> where a result belongs is in namespace "urn:other"`},
	} {
		res, err := decodeBody(c.body)
		var te *TransportError
		if !errors.As(err, &te) || te.Kind != ErrUnexpectedResponse || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s:\nres %+v, err = %v, want an error saying %q", c.body, res, err, c.says)
		}
	}
	// A prefix the packet binds resolves inside a result: undeclared
	// content, and the result stands.
	res, err := decodeBody(`<packet xmlns:p="urn:other"><customer><get><result><status>ok</status><id>1</id><p:status>error</p:status></result></get></customer></packet>`)
	if err != nil || len(res) != 1 || res[0].Status != "ok" {
		t.Errorf("a foreign element beside Plesk's status: %+v, %v", res, err)
	}
}
