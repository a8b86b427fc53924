package fuzztest

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// sampleDirs are the directories of ../shared whose INDEX.tsv lists sample
// packets: the documented ones and those found in other projects.
var sampleDirs = []string{"plesk-samples", "plesk-external"}

// samples returns the packets of the given kind ("request", "response", or
// "" for both) that the INDEX.tsv of each of sampleDirs lists, or nothing
// when ../shared is absent. The kind is the column headed "kind".
func samples(f testing.TB, kind string) [][]byte {
	var out [][]byte
	for _, name := range sampleDirs {
		dir, ok := sharedtest.Find(f, name)
		if !ok {
			continue
		}
		index, err := os.ReadFile(filepath.Join(dir, "INDEX.tsv"))
		if err != nil {
			f.Fatal(err)
		}
		n := 0
		col := -1
		sc := bufio.NewScanner(bytes.NewReader(index))
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			if col < 0 {
				for i, c := range cols {
					if c == "kind" {
						col = i
					}
				}
				if col < 0 {
					f.Fatalf("%s/INDEX.tsv has no kind column", dir)
				}
				continue
			}
			if len(cols) <= col || kind != "" && cols[col] != kind {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(cols[0])))
			if err != nil {
				f.Fatal(err)
			}
			out = append(out, data)
			n++
		}
		if err := sc.Err(); err != nil {
			f.Fatal(err)
		}
		if n == 0 {
			f.Fatalf("%s/INDEX.tsv lists no %s sample", dir, kind)
		}
	}
	return out
}

// hostile are hand-written packets of the shapes that strain a lossless
// codec: undeclared elements at every depth, second occurrences of single
// elements, values that do not parse as their type, attributes on every
// element, text in element-only content, CDATA, comments and processing
// instructions, namespaces, and elements out of declaration order.
var hostile = []string{
	// Undeclared elements at the packet, operator, operation, result and data level.
	`<packet version="1.6.9.1"><x0/><webspace><x1>a</x1><get><x2/><result><x3><y/></x3><status>ok</status><filter-id>1</filter-id><id>1</id><data><x4/><gen_info><name>a</name><x5 a="1">t</x5></gen_info></data></result></get></webspace></packet>`,
	`<packet version="1.6.9.1"><customer><get><filter><login>a</login><x/></filter><dataset><gen_info/><stat/><x/></dataset></get></customer></packet>`,
	// Repeated single elements.
	`<packet><customer><get><result><status>ok</status><status>error</status><id>1</id><id>2</id><data><gen_info><login>a</login><login>b</login></gen_info><gen_info/></data></result></get></customer></packet>`,
	// Values that do not type: empty, garbage, overflow, fractions, signs, white space.
	`<packet><webspace><get><result><status>ok</status><id></id><filter-id> 7 </filter-id><data><gen_info><cr_date>yesterday</cr_date><real_size>-1</real_size><htype>x</htype><dns_ip_address/></gen_info><stat><traffic>99999999999999999999999</traffic><subdom>1.5</subdom><wu>+3</wu></stat></data></result></get></webspace></packet>`,
	`<packet><database><get-db><result><status>ok</status><id>x</id><id>2</id><db-server-id>0x10</db-server-id><default-user-id> </default-user-id></result></get-db></database></packet>`,
	// Attributes everywhere, declared ones with untypable values.
	`<packet version="1.6.9.1" a="1" b=""><server q="1"><get_protos r="2"><result s="3"><status t="4">ok</status><protos u="5"><proto v="6">1.6.9.1</proto></protos></result></get_protos></server></packet>`,
	`<packet version=""><dns><add_rec><result><status>ok</status><id x="&#9;&#10;&#13;&quot;">1</id></result></add_rec></dns></packet>`,
	// Text in element-only content, around and between elements.
	`<packet>t0<customer>t1<get>t2<result>t3<status>ok</status>t4<id>1</id>t5</result>t6</get></customer>t7</packet>`,
	"<packet>\n  <customer>\n    <get>\n      <result>\n        <status>ok</status>\n        <id>1</id>\n      </result>\n    </get>\n  </customer>\n</packet>\n",
	// CDATA, comments, processing instructions, references.
	`<?xml version="1.0" encoding="UTF-8"?><!-- c --><packet><!-- c --><customer><get><result><status><![CDATA[ok]]></status><id><!-- c -->1</id><data><gen_info><pname><![CDATA[<b>&amp;</b>]]></pname><login>a&lt;b&#x41;</login><?pi data?></gen_info></data></result></get></customer></packet>`,
	// Namespaces: default and prefixed, on elements and attributes.
	`<packet xmlns="urn:x"><customer><get><result><status>ok</status></result></get></customer></packet>`,
	`<p:packet xmlns:p="urn:p" xmlns:q="urn:q"><p:customer q:a="1"><get><result><q:status>ok</q:status><id xmlns="urn:y">1</id><x xmlns:r="urn:r"><r:y r:z="1"/></x></result></get></p:customer></p:packet>`,
	// Elements out of declaration order, one-of alternatives interleaved.
	`<packet><webspace><get><result><data><gen_info><name>a</name></gen_info></data><id>1</id><status>ok</status></result></get><del><result><id>2</id><status>ok</status></result></del><get><result><status>error</status><errcode>1013</errcode></result></get></webspace></packet>`,
	// Requests: groups, filters, empty and duplicated content.
	`<packet version="1.6.9.1"><webspace><db-servers><add><filter><id>1</id></filter><db-server><id>2</id></db-server></add><list><filter/></list></db-servers><del><filter/></del><switch-subscription><filter><id>5</id></filter><plan-guid>g</plan-guid><no-plan/></switch-subscription></webspace></packet>`,
	`<packet><customer><del><filter><login>a</login><id>1</id></filter></del><set><filter><id>x</id></filter><values><gen_info><pname>a</pname></gen_info></values></set></customer><request-settings><setting><name>a</name><value>b</value></setting></request-settings></packet>`,
	`<packet><system><status>error</status><errcode>1001</errcode><errtext>Authentication failed</errtext></system></packet>`,
	`<packet><output>x</output><unknown-op x="1"><y/></unknown-op></packet>`,
	// Deep nesting of undeclared content.
	`<packet><customer><get><result><status>ok</status><a><b><c><d><e><f><g>x</g></f></e></d></c></b></a></result></get></customer></packet>`,
}

// addSeeds adds the samples of kind and the hostile packets to f.
func addSeeds(f *testing.F, kind string) {
	for _, s := range samples(f, kind) {
		f.Add(s)
	}
	for _, s := range hostile {
		f.Add([]byte(s))
	}
}

// TestSeedsReachTheChecks makes sure the targets are not vacuous on their
// seeds: with 1.6.9.1, every response sample of an operator it has is
// decoded into the result type of its operation, and some operations of the request samples pass
// validation and are sent (and so decoded back).
func TestSeedsReachTheChecks(t *testing.T) {
	var v1691 version
	for _, v := range versions {
		if v.name == "plesk1691" {
			v1691 = v
		}
	}
	responses := samples(t, "response")
	if len(responses) == 0 {
		t.Skip("no samples in ../shared")
	}
	operators := map[string]bool{}
	for _, o := range operations[v1691.name] {
		operators[o.operator] = true
	}
	typed := 0
	for _, s := range responses {
		if decodeTyped(t, v1691.name, s) {
			typed++
			continue
		}
		// Legacy operators (domain, client) and packet-level errors have no typed result.
		if op, oper := operationPath(v1691.name, s); operators[op] {
			t.Errorf("no typed result for a sample answering %s/%s:\n%s", op, oper, s)
		}
	}
	sent, ops := 0, 0
	for _, s := range samples(t, "request") {
		p := v1691.request()
		if err := xml.Unmarshal(s, p); err != nil {
			t.Fatalf("a request sample does not decode: %v", err)
		}
		for _, ov := range requestOperations(v1691.name, p) {
			ops++
			if checkRequest(t, v1691, ov) {
				sent++
			}
		}
	}
	if ops == 0 || sent == 0 {
		t.Errorf("of %d operations in the request samples, %d were sent", ops, sent)
	}
	t.Logf("%d of %d response samples typed; %d of %d request operations sent", typed, len(responses), sent, ops)
}
