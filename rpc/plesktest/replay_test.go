package plesktest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

// Secrets of the recorded session. They hold characters that XML, Go
// quoting and URLs escape, so that an escaped copy would be a different
// spelling.
const (
	recKey            = `key-7f3a&<"k>'9Zq`
	recAdminPassword  = `admin-p&ss<"w>'4Rt`
	recCustomerPasswd = `cust-p&ss<"w>'8Lm`
)

// session runs a program's calls through c and returns what each call
// answered, as text: the results encoded, or the error.
func session(t *testing.T, c *plesk1691.Client) []string {
	t.Helper()
	ctx := t.Context()
	var out []string
	note := func(res any, err error) {
		b, merr := xml.Marshal(res)
		if merr != nil {
			t.Fatalf("encoding %T: %v", res, merr)
		}
		line := string(b)
		var pe *rpc.Error
		if errors.As(err, &pe) {
			line += fmt.Sprintf(" error %s/%s %d %q", pe.Operator, pe.Operation, pe.Code, pe.Text)
		} else if err != nil {
			line += " error " + err.Error()
		}
		out = append(out, line)
	}
	add, err := c.Customer.Add(ctx, &plesk1691.CustomerAdd{GenInfo: plesk1691.ClientAddGenInfo{
		Pname: "Jane Doe", Login: "jdoe", Passwd: recCustomerPasswd}})
	note(add, err)
	note(c.Customer.Get(ctx, &plesk1691.CustomerGet{Filter: plesk1691.ClientSelectionFilter{Login: []string{"jdoe", "nobody"}},
		Dataset: plesk1691.ClientDataset{GenInfo: &rpc.Empty{}}}))
	note(c.Webspace.Add(ctx, &plesk1691.WebspaceAdd{GenSetup: plesk1691.WebspaceAddGenSetup{Items: []plesk1691.WebspaceAddGenSetupItem{
		{Name: rpc.Ptr("example.com")}, {OwnerLogin: rpc.Ptr("jdoe")}, {IPAddress: rpc.Ptr("192.0.2.10")}}}}))
	note(c.Webspace.Get(ctx, &plesk1691.WebspaceGet{Filter: plesk1691.DomainFilter{Name: []string{"example.com"}},
		Dataset: plesk1691.DomainDataset{GenInfo: &rpc.Empty{}}}))
	note(c.IP.Get(ctx))
	start, err := c.Migration.Start(ctx, customerMigration())
	note(start, err)
	if len(start) == 1 && start[0].MigrationID != nil {
		// The same request twice: the recorded answers come back in order.
		for range 3 {
			note(c.Migration.GetStatus(ctx, migrationID(*start[0].MigrationID)))
		}
	}
	return out
}

// TestRecordReplay records a session through the client against the fake
// standing in for a real server, then replays the recording through a
// second client with other credentials: every call gets the same answer,
// the recording holds no credential in any spelling, and a call the
// recording lacks fails with an error naming it.
func TestRecordReplay(t *testing.T) {
	live := migrationServer(t, plesktest.WithSecretKey(recKey), plesktest.WithAdminPassword(recAdminPassword))
	var rec bytes.Buffer
	recording := plesk1691.New(dial(t, live, rpc.WithSecretKey(recKey), rpc.WithRecorder(&rec)))
	want := session(t, recording)
	if len(want) < 9 {
		t.Fatalf("the live session was cut short: %q", want)
	}
	// The same session through a client logging in with the password, so
	// the recording also saw... nothing of it: headers are not recorded.
	if _, err := plesk1691.New(dial(t, live, rpc.WithLogin(plesktest.AdminLogin, recAdminPassword), rpc.WithRecorder(&rec))).IP.Get(t.Context()); err != nil {
		t.Fatal(err)
	}

	text := rec.String()
	for _, secret := range []string{recKey, recAdminPassword, recCustomerPasswd, sourceHost.Password} {
		for _, spelling := range spellings(secret) {
			if strings.Contains(text, spelling) {
				t.Errorf("the recording holds the secret %q spelled %q", secret, spelling)
			}
		}
	}
	if !strings.Contains(text, "[REDACTED]") {
		t.Errorf("nothing was redacted:\n%s", text)
	}

	// The second recording client wrote its own header: keep the first
	// client's part, a recording of one session.
	first := text[:strings.LastIndex(text, rpc.RecordingHeader)]
	replay, err := plesktest.NewReplayServer(strings.NewReader(first))
	if err != nil {
		t.Fatal(err)
	}
	defer replay.Close()
	c, err := rpc.NewClient(replay.URL, rpc.WithLogin("someone", "another password"))
	if err != nil {
		t.Fatal(err)
	}
	got := session(t, plesk1691.New(c))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("replayed session differs from the recorded one (-want +got):\n%s", diff)
	}
	if n := replay.Unreplayed(); n != 0 {
		t.Errorf("%d recorded exchanges unused", n)
	}

	// A call the recording lacks, and one it holds no more answers for.
	_, err = plesk1691.New(c).Customer.Del(t.Context(), &plesk1691.CustomerDel{Filter: plesk1691.ClientSelectionFilter{Login: []string{"jdoe"}}})
	pe := wantSystemError(t, err, 1023, nil)
	if !strings.Contains(pe.Text, "customer/del") || !strings.Contains(pe.Text, "recording") {
		t.Errorf("the error does not name the missing call: %q", pe.Text)
	}
	_, err = plesk1691.New(c).IP.Get(t.Context())
	if pe := wantSystemError(t, err, 1023, nil); !strings.Contains(pe.Text, "ip/get") {
		t.Errorf("a used-up answer: %q", pe.Text)
	}
}

// spellings returns the ways a secret could appear in a text file.
func spellings(s string) []string {
	var xe strings.Builder
	_ = xml.EscapeText(&xe, []byte(s))
	quoted := strconv.Quote(s)
	out := []string{
		s, xe.String(), quoted[1 : len(quoted)-1], strings.ToLower(s), strings.ToUpper(s),
		url.QueryEscape(s), url.PathEscape(s),
		base64.StdEncoding.EncodeToString([]byte(s)), base64.URLEncoding.EncodeToString([]byte(s)),
		base64.RawStdEncoding.EncodeToString([]byte(s)), hex.EncodeToString([]byte(s)),
		strings.ToUpper(hex.EncodeToString([]byte(s))),
	}
	// The part before the first character an escaping changes.
	if i := strings.IndexAny(s, `&<"'>`); i >= 8 {
		out = append(out, s[:i])
	}
	return out
}

// TestReplayBadRecording: a recording that does not parse is an error
// naming the line, not a server.
func TestReplayBadRecording(t *testing.T) {
	_, err := plesktest.NewReplayServer(strings.NewReader(rpc.RecordingHeader + "\nrequest \"<packet/>\"\nbogus\n"))
	if err == nil || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("err = %v", err)
	}
}
