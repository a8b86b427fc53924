package rpc_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

const (
	devCred          = "Zq7vX9pLm2Rt-dev"
	thirdPartySecret = "ThirdParty-Secret-417"
)

// answerServer answers every request with the body it holds.
func answerServer(t *testing.T) (*httptest.Server, func(string)) {
	var mu sync.Mutex
	body := ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		b := body
		mu.Unlock()
		w.Header().Set("Content-Type", "text/xml")
		_, _ = w.Write([]byte(b))
	}))
	t.Cleanup(srv.Close)
	return srv, func(b string) { mu.Lock(); body = b; mu.Unlock() }
}

func dots(n int) string { return strings.Repeat(".", max(n, 0)) }

// TestDeviationsShowNoSecret: through the generated webspace/get, a result
// whose undeclared content holds third parties' secrets (elements and
// attributes named like secrets, a name/value pair) and the client's own
// credential in every spelling, across the cut of Deviation.String: no
// Deviation's Value or String shows any of them.
func TestDeviationsShowNoSecret(t *testing.T) {
	srv, answer := answerServer(t)
	c, err := rpc.NewClient(srv.URL, rpc.WithLogin("admin", devCred))
	if err != nil {
		t.Fatal(err)
	}
	api := plesk1691.New(c)
	const head = `<packet><webspace><get><result><status>ok</status><filter-id>example.com</filter-id><id>7</id><data password="` +
		thirdPartySecret + `">`
	const secrets = `<ftp-password>` + thirdPartySecret + `</ftp-password>` +
		`<extra><secret_key>` + thirdPartySecret + `</secret_key><token kind="x">` + thirdPartySecret + `</token>` +
		`<property><name>ftp_password</name><value>` + thirdPartySecret + `</value></property></extra>`
	checked := 0
	for name, s := range rpc.CredSpellingsForTest(devCred, 1) {
		// The <note> value starts after "<note>": place the credential
		// across the 80 bytes Deviation.String keeps.
		for j := 0; j <= len(s)+1; j += max(1, len(s)/12) {
			answer(head + secrets + `<note>` + dots(80-6-j) + s + dots(30) + `</note></data></result></get></webspace></packet>`)
			res, err := api.Webspace.Get(context.Background(), &plesk1691.WebspaceGet{
				Filter:  plesk1691.DomainFilter{Name: []string{"example.com"}},
				Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}},
			})
			if errors.Is(err, rpc.ErrNotXML) {
				// A spelling XML does not allow (&#X70;, &#112 without
				// its semicolon): the body is shown, but not the secret.
				if why := rpc.LeakForTest(err.Error(), devCred, false); why != "" {
					t.Errorf("%s: %s: %v", name, why, err)
				}
				continue
			}
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			devs := rpc.Deviations(&res[0])
			sawNote, sawFTP := false, false
			for _, d := range devs {
				for _, text := range []string{d.Value, d.String(), fmt.Sprint(d), fmt.Sprintf("%+v", d)} {
					checked++
					if why := rpc.LeakForTest(text, devCred, false); why != "" {
						t.Errorf("%s at %d: %s %s: %q", name, j, d.Path, why, text)
					}
					if why := rpc.LeakForTest(text, thirdPartySecret, false); why != "" {
						t.Errorf("%s: %s shows a third party's secret: %q", name, d.Path, text)
					}
				}
				sawNote = sawNote || strings.HasSuffix(d.Path, "note")
				sawFTP = sawFTP || strings.HasSuffix(d.Path, "ftp-password") && d.Value == "[REDACTED]"
			}
			if !sawNote || !sawFTP {
				t.Fatalf("%s: the deviations miss <note> or a redacted <ftp-password>: %v", name, devs)
			}
		}
	}
	t.Logf("%d texts checked", checked)
}

// TestFailedResultErrTextAgrees: a failed result whose errtext holds the
// client's credential, in any spelling and anywhere in it (also far
// beyond what the error quotes), has its ErrText field withheld as its
// *rpc.Error's text is.
func TestFailedResultErrTextAgrees(t *testing.T) {
	srv, answer := answerServer(t)
	c, err := rpc.NewClient(srv.URL, rpc.WithLogin("admin", devCred))
	if err != nil {
		t.Fatal(err)
	}
	api := plesk1691.New(c)
	for name, s := range rpc.CredSpellingsForTest(devCred, 2) {
		for _, at := range []int{0, 500, rpc.DefaultMaxErrorText - 3, rpc.DefaultMaxErrorText + 300, 5000} {
			answer(`<packet><webspace><get><result><status>error</status><errcode>1013</errcode><errtext>` +
				dots(at) + s + dots(10) + `</errtext></result></get></webspace></packet>`)
			res, err := api.Webspace.Get(context.Background(), &plesk1691.WebspaceGet{
				Filter:  plesk1691.DomainFilter{Name: []string{"example.com"}},
				Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}},
			})
			if errors.Is(err, rpc.ErrNotXML) {
				if why := rpc.LeakForTest(err.Error(), devCred, false); why != "" {
					t.Errorf("%s: %s: %v", name, why, err)
				}
				continue
			}
			var pe *rpc.Error
			if !errors.As(err, &pe) || len(res) != 1 {
				t.Fatalf("%s at %d: err %v, %d results", name, at, err, len(res))
			}
			// Withheld when the text quoted holds it, or the field does
			// (which holds all of it, where the error quotes the beginning).
			if (at < rpc.DefaultMaxErrorText || res[0].ErrText != nil) && !strings.Contains(pe.Text, "withheld") {
				t.Errorf("%s at %d: the error text is not withheld: %.80q", name, at, pe.Text)
			}
			if res[0].ErrText == nil {
				// Elements inside <errtext>: not a string, kept as
				// written and reported by Deviations, which withholds it.
				for _, d := range rpc.Deviations(&res[0]) {
					if why := rpc.LeakForTest(d.Value, devCred, false); why != "" {
						t.Errorf("%s at %d: deviation %s %s", name, at, d.Path, why)
					}
				}
				continue
			}
			if *res[0].ErrText != pe.Text || !strings.Contains(pe.Text, "withheld") {
				t.Errorf("%s at %d: ErrText %.60q, error text %.60q", name, at, *res[0].ErrText, pe.Text)
			}
			for _, text := range []string{err.Error(), *res[0].ErrText, fmt.Sprintf("%+v", res[0])} {
				if why := rpc.LeakForTest(text, devCred, false); why != "" {
					t.Errorf("%s at %d: %s: %.200q", name, at, why, text)
				}
			}
		}
	}
}
