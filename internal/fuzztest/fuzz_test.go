package fuzztest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1660"
	"github.com/pleskgo/plesk/generated/plesk1670"
	"github.com/pleskgo/plesk/generated/plesk1680"
	"github.com/pleskgo/plesk/generated/plesk1690"
	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/internal/sharedtest"
	"github.com/pleskgo/plesk/rpc"
)

// validator is what every generated packet and item has.
type validator interface{ Validate() error }

// version is one generated package, as the fuzz targets see it.
type version struct {
	name     string
	response func() any       // a new *ResponsePacket
	request  func() validator // a new *RequestPacket
	items    func(validator) []validator
}

var versions = []version{
	{"plesk1660", func() any { return new(plesk1660.ResponsePacket) }, func() validator { return new(plesk1660.RequestPacket) },
		func(v validator) []validator { return itemsOf(v.(*plesk1660.RequestPacket).Items) }},
	{"plesk1670", func() any { return new(plesk1670.ResponsePacket) }, func() validator { return new(plesk1670.RequestPacket) },
		func(v validator) []validator { return itemsOf(v.(*plesk1670.RequestPacket).Items) }},
	{"plesk1680", func() any { return new(plesk1680.ResponsePacket) }, func() validator { return new(plesk1680.RequestPacket) },
		func(v validator) []validator { return itemsOf(v.(*plesk1680.RequestPacket).Items) }},
	{"plesk1690", func() any { return new(plesk1690.ResponsePacket) }, func() validator { return new(plesk1690.RequestPacket) },
		func(v validator) []validator { return itemsOf(v.(*plesk1690.RequestPacket).Items) }},
	{"plesk1691", func() any { return new(plesk1691.ResponsePacket) }, func() validator { return new(plesk1691.RequestPacket) },
		func(v validator) []validator { return itemsOf(v.(*plesk1691.RequestPacket).Items) }},
}

// itemsOf returns pointers to the items of a packet.
func itemsOf[T any, PT interface {
	*T
	validator
}](items []T) []validator {
	out := make([]validator, len(items))
	for i := range items {
		out[i] = PT(&items[i])
	}
	return out
}

// samples returns the sample packets of the given kind listed in
// ../shared/plesk-samples/INDEX.tsv, or nothing when it is absent.
func samples(f *testing.F, kind string) [][]byte {
	dir, ok := sharedtest.Find(f, "plesk-samples")
	if !ok {
		return nil
	}
	index, err := os.ReadFile(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		f.Fatal(err)
	}
	var out [][]byte
	sc := bufio.NewScanner(bytes.NewReader(index))
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 4 || cols[3] != kind {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(cols[0])))
		if err != nil {
			f.Fatal(err)
		}
		out = append(out, data)
	}
	if len(out) == 0 {
		f.Fatalf("%s/INDEX.tsv lists no %s sample", dir, kind)
	}
	return out
}

// firstOperation returns the names of the first operator and operation
// element of a packet, as far as they can be read.
func firstOperation(data []byte) (operator, operation string) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var names []string
	for len(names) < 3 {
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		if s, ok := tok.(xml.StartElement); ok {
			names = append(names, s.Name.Local)
		}
	}
	for len(names) < 3 {
		names = append(names, "x")
	}
	return names[1], names[2]
}

// decodeTyped answers the packet's first operation with data through the
// rpc runtime, into the generated result type of that operation.
func decodeTyped(data []byte) {
	operator, operation := firstOperation(data)
	inv := rpc.InvokerFunc(func(ctx context.Context, version string, ops ...*rpc.Op) error {
		return rpc.DecodeResponse(bytes.NewReader(data), ops...)
	})
	ctx := context.Background()
	op := &rpc.Op{Operator: operator, Operation: operation}
	switch operator + "/" + operation {
	case "customer/get":
		rpc.Do[plesk1691.CustomerGetResult](ctx, inv, "", op)
	case "webspace/get":
		for range rpc.Stream[plesk1691.WebspaceGetResult](ctx, inv, "", op) {
		}
	case "database/get-db":
		rpc.Do[plesk1691.DatabaseGetDBResult](ctx, inv, "", op)
	case "db_server/get":
		rpc.Do[plesk1691.DBServerGetResult](ctx, inv, "", op)
	case "migration/get_status":
		rpc.Do[plesk1691.MigrationGetStatusResult](ctx, inv, "", op)
	default:
		rpc.Do[plesk1691.Result](ctx, inv, "", op)
	}
}

// FuzzResponsePacket decodes arbitrary bytes into the ResponsePacket of
// every version and, through the rpc runtime, into the result type of the
// operation the packet answers. Nothing may panic. A packet that decodes
// validates without panicking, marshals, and is a fixed point from then on:
// decoding what it marshals to and marshaling again gives the same bytes,
// so nothing is lost or invented on the way.
func FuzzResponsePacket(f *testing.F) {
	for _, s := range samples(f, "response") {
		f.Add(s)
	}
	f.Add([]byte(`<packet version="1.6.9.1"><webspace><get><result><status>ok</status><filter-id>1</filter-id><id>1</id><data><gen_info><name>a</name><bogus/></gen_info></data></result></get></webspace><customer><get><result><status>error</status><errcode>1013</errcode><errtext>no</errtext></result></get></customer><unknown-op x="1"/></packet>`))
	f.Add([]byte(`<packet><system><status>error</status><errcode>1001</errcode><errtext>Authentication failed</errtext></system></packet>`))
	f.Add([]byte(`<packet><database><get-db><result><status>ok</status><id>x</id><id>2</id></result></get-db></database></packet>`))

	f.Fuzz(func(t *testing.T, data []byte) {
		decodeTyped(data)
		for _, v := range versions {
			p := v.response()
			if err := xml.Unmarshal(data, p); err != nil {
				continue
			}
			p.(validator).Validate()
			out, err := xml.Marshal(p)
			if err != nil {
				t.Fatalf("%s: a decoded ResponsePacket does not marshal: %v", v.name, err)
			}
			p2 := v.response()
			if err := xml.Unmarshal(out, p2); err != nil {
				t.Fatalf("%s: what a ResponsePacket marshals to does not decode: %v\n%s", v.name, err, out)
			}
			out2, err := xml.Marshal(p2)
			if err != nil {
				t.Fatalf("%s: the second marshal fails: %v", v.name, err)
			}
			if !bytes.Equal(out, out2) {
				t.Fatalf("%s: decode and marshal is no fixed point:\nfirst:  %s\nsecond: %s", v.name, out, out2)
			}
		}
	})
}

// FuzzValidate decodes arbitrary bytes into the RequestPacket of every
// version and validates the packet and each item: nothing may panic, and a
// packet that validates still validates after a marshal and a decode.
func FuzzValidate(f *testing.F) {
	for _, s := range samples(f, "request") {
		f.Add(s)
	}
	f.Add([]byte(`<packet version="1.6.9.1"><webspace><switch-subscription><filter><id>5</id></filter><plan-guid>g</plan-guid><no-plan/></switch-subscription></webspace></packet>`))
	f.Add([]byte(`<packet><customer><get><filter/><dataset><gen_info/></dataset></get><del><filter><login>a</login><id>1</id></filter></del></customer><db_server/><x/></packet>`))
	f.Add([]byte(`<packet><request-settings><setting><name>a</name></setting></request-settings><migration><get_status><migration_id>1</migration_id></get_status></migration></packet>`))

	f.Fuzz(func(t *testing.T, data []byte) {
		for _, v := range versions {
			p := v.request()
			if err := xml.Unmarshal(data, p); err != nil {
				continue
			}
			for _, it := range v.items(p) {
				it.Validate()
			}
			if p.Validate() != nil {
				continue
			}
			out, err := xml.Marshal(p)
			if err != nil {
				t.Fatalf("%s: a valid RequestPacket does not marshal: %v", v.name, err)
			}
			p2 := v.request()
			if err := xml.Unmarshal(out, p2); err != nil {
				t.Fatalf("%s: a valid RequestPacket marshals to what does not decode: %v\n%s", v.name, err, out)
			}
			if err := p2.Validate(); err != nil {
				t.Fatalf("%s: a valid RequestPacket is invalid after a round trip: %v\nin:  %s\nout: %s", v.name, err, data, out)
			}
		}
	})
}
