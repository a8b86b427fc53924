package rpc_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

// This example reads the answer of an older server (protocol 1.6.3) with the
// 1.6.9.1 bindings: its result carries a <webapps> section the newer schema
// no longer has, and lacks the GUIDs and external id that 1.6.9.1 requires.
// Decoding keeps the section where it was and invents nothing for the
// missing elements (encoding the result writes neither a GUID nor an empty
// one); the typed fields show what could be typed, and rpc.Deviations tells
// a careful program what did not fit.
func ExampleDeviations() {
	const answer = `<packet version="1.6.3.0"><webspace><get><result>
		<status>ok</status><filter-id>example.com</filter-id><id>7</id>
		<data>
			<gen_info><cr_date>2011-04-01</cr_date><name>example.com</name><ascii-name>example.com</ascii-name><status>0</status><real_size>0</real_size><dns_ip_address>192.0.2.1</dns_ip_address><htype>vrt_hst</htype></gen_info>
			<webapps><webapp><name>wordpress</name></webapp></webapps>
		</data>
	</result></get></webspace></packet>`
	old := rpc.InvokerFunc(func(ctx context.Context, version string, ops ...*rpc.Op) error {
		return rpc.DecodeResponse(strings.NewReader(answer), ops...)
	})
	api := plesk1691.New(old)
	res, err := api.Webspace.Get(context.Background(), &plesk1691.WebspaceGet{
		Filter:  plesk1691.DomainFilter{Name: []string{"example.com"}},
		Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}},
	})
	if err != nil {
		log.Fatal(err)
	}
	r := &res[0]
	fmt.Println("name:", r.GetData().GetGenInfo().GetName())
	for _, d := range rpc.Deviations(r) {
		fmt.Printf("%s: %s\n", d.Kind, d.Path)
	}
	// Output:
	// name: example.com
	// undeclared element: data/webapps
	// missing: data/gen_info/guid
	// missing: data/gen_info/vendor-guid
	// missing: data/gen_info/external-id
}
