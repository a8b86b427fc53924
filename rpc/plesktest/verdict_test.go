package plesktest_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

// TestVerdictThroughGeneratedMethods pins, over HTTP and through the
// generated API (a method, its Stream variant and a typed batch), the
// verdict of each contradictory <result> header: the decoded struct's
// Status and the returned error always agree.
func TestVerdictThroughGeneratedMethods(t *testing.T) {
	shapes := []struct {
		name   string
		result string
		ok     bool
		says   string
	}{
		{"ok", `<status>ok</status><id>1</id>`, true, ""},
		{"error", `<status>error</status><errcode>1013</errcode><errtext>no such</errtext>`, false, "1013"},
		{"error, then ok", `<status>error</status><status>ok</status><id>1</id>`, false, `("error", then "ok")`},
		{"ok, then error", `<status>ok</status><status>error</status><id>1</id>`, false, `("ok", then "error")`},
		{"ok beside an errcode", `<status>ok</status><errcode>1013</errcode><id>1</id>`, false, "status ok beside errcode 1013"},
		{"unknown status", `<status>maybe</status><id>1</id>`, false, `unknown status "maybe"`},
	}
	req := &plesk1691.CustomerGet{Filter: plesk1691.ClientSelectionFilter{ID: []int64{1}}}
	for _, sh := range shapes {
		t.Run(sh.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "text/xml")
				_, _ = io.WriteString(w, `<packet version="1.6.9.1"><customer><get><result>`+sh.result+`</result></get></customer></packet>`)
			}))
			defer srv.Close()
			c, err := rpc.NewClient(srv.URL, rpc.WithLogin("admin", "secret-password"))
			if err != nil {
				t.Fatal(err)
			}
			api := plesk1691.New(c)
			check := func(via string, res []plesk1691.CustomerGetResult, err error) {
				t.Helper()
				var pe *rpc.Error
				switch {
				case sh.ok && (err != nil || len(res) != 1 || res[0].Status != plesk1691.ResultStatusOK):
					t.Errorf("%s: %+v, %v; want one ok result", via, res, err)
				case !sh.ok && (!errors.As(err, &pe) || !strings.Contains(err.Error(), sh.says)):
					t.Errorf("%s: err = %v; want an *rpc.Error saying %q", via, err, sh.says)
				}
				for _, r := range res {
					if (r.Status == plesk1691.ResultStatusOK) != sh.ok {
						t.Errorf("%s: the struct says %q, the error %v", via, r.Status, err)
					}
				}
			}
			res, err := api.Customer.Get(t.Context(), req)
			check("method", res, err)
			var streamed []plesk1691.CustomerGetResult
			var serr error
			for r, err := range api.Customer.StreamGet(t.Context(), req) {
				streamed, serr = append(streamed, r), errors.Join(serr, err)
			}
			check("stream", streamed, serr)
			b := api.Batch()
			p := b.Customer.Get(req)
			if err := b.Send(t.Context()); err != nil {
				t.Fatalf("batch: %v", err)
			}
			res, err = p.Results()
			check("batch", res, err)
		})
	}
}
