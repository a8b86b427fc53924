package main

import "testing"

func TestOperationSentence(t *testing.T) {
	for _, c := range []struct{ op, name, want string }{
		{"dns", "add_rec", "Creates the records."},
		{"server", "get_protos", "Returns the protocol versions."},
		{"ip", "ippool_add_ip", "Creates the IP address of the IP pool."},
		{"site", "get", "Returns the sites."},
		{"dns", "sync-with-template", "Synchronizes with the template."},
	} {
		if got := operationSentence(c.op, c.name); got != c.want {
			t.Errorf("operationSentence(%q, %q) = %q, want %q", c.op, c.name, got, c.want)
		}
	}
}

func TestParseLine(t *testing.T) {
	n, err := parseLine("@type type=string use=required default=a")
	if err != nil || n.kind != "attribute" || n.name != "type" || n.typ != "string" || n.use != "required" || n.def == nil || *n.def != "a" {
		t.Fatalf("attribute line: %+v, %v", n, err)
	}
	n, err = parseLine("key-id [1..∞] type=string nillable")
	if err != nil || n.kind != "element" || n.min != "1" || n.max != "unbounded" || !n.nillable {
		t.Fatalf("element line: %+v, %v", n, err)
	}
	for _, bad := range []string{"(sequence)", "x [1..] type=a", "(frob) [1..1]", "x [1..1] kind=a"} {
		if _, err := parseLine(bad); err == nil {
			t.Errorf("parseLine(%q) accepted a bad line", bad)
		}
	}
}
