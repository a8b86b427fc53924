package rpc_test

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pleskgo/plesk/rpc"
)

// customerGetResult stands for a generated result type.
type customerGetResult struct {
	Status string `xml:"status"`
	ID     int    `xml:"id"`
	Login  string `xml:"data>gen_info>login"`
}

type customerGet struct {
	Logins []string `xml:"filter>login"`
}

// fakePlesk answers every packet with body, as a test double for *Client.
func fakePlesk(body string) rpc.Invoker {
	return rpc.InvokerFunc(func(ctx context.Context, version string, ops ...*rpc.Op) error {
		return rpc.DecodeResponse(strings.NewReader(body), ops...)
	})
}

func ExampleDo() {
	// A real client: rpc.NewClient("plesk.example.com", rpc.WithSecretKey(key),
	// rpc.WithPinnedSHA256(pin)). Here, a fake with a canned answer.
	plesk := fakePlesk(`<packet><customer><get>
		<result><status>ok</status><filter-id>alice</filter-id><id>3</id><data><gen_info><login>alice</login></gen_info></data></result>
		<result><status>error</status><errcode>1013</errcode><errtext>client does not exist</errtext><filter-id>bob</filter-id></result>
	</get></customer></packet>`)

	op := &rpc.Op{Operator: "customer", Operation: "get", Request: &customerGet{Logins: []string{"alice", "bob"}}, ReadOnly: true}
	res, err := rpc.Do[customerGetResult](context.Background(), plesk, "1.6.9.1", op)
	for _, r := range res {
		fmt.Printf("%s id=%d login=%q\n", r.Status, r.ID, r.Login)
	}
	var perr *rpc.Error
	if errors.As(err, &perr) && errors.Is(err, rpc.ErrNotFound) {
		fmt.Println("not found:", perr.FilterID)
	}
	// Output:
	// ok id=3 login="alice"
	// error id=0 login=""
	// not found: bob
}

func ExampleStream() {
	plesk := fakePlesk(`<packet><customer><get>
		<result><status>ok</status><id>1</id></result>
		<result><status>ok</status><id>2</id></result>
	</get></customer></packet>`)

	op := &rpc.Op{Operator: "customer", Operation: "get", Request: &customerGet{}, ReadOnly: true}
	for r, err := range rpc.Stream[customerGetResult](context.Background(), plesk, "1.6.9.1", op) {
		if err != nil {
			fmt.Println("error:", err)
			continue
		}
		fmt.Println(r.ID)
	}
	// Output:
	// 1
	// 2
}

func ExampleBatch() {
	plesk := fakePlesk(`<packet>
		<customer><get><result><status>ok</status><id>1</id></result></get></customer>
		<webspace><get/></webspace>
	</packet>`)

	b := rpc.NewBatch(plesk, "1.6.9.1")
	customers := rpc.Add[customerGetResult](b, &rpc.Op{Operator: "customer", Operation: "get", ReadOnly: true})
	webspaces := rpc.Add[rpc.Result](b, &rpc.Op{Operator: "webspace", Operation: "get", ReadOnly: true})
	if err := b.Send(context.Background()); err != nil {
		fmt.Println("packet failed:", err)
		return
	}
	cs, err := customers.Results()
	fmt.Println(len(cs), err)
	_, err = webspaces.Results()
	fmt.Println(errors.Is(err, rpc.ErrNoMatch))
	// Output:
	// 1 <nil>
	// true
}
