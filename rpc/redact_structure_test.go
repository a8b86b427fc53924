package rpc

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// Secrets of third parties (name/value properties, password containers)
// are redacted by the structure of the packet, in logs and in snippets.

// webspaceAddReq carries third-party secrets the way webspace/add does:
// a name/value property and a password container.
type webspaceAddReq struct {
	Name     string `xml:"gen_setup>name"`
	Property []struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	} `xml:"hosting>vrt_hst>property"`
	Password struct {
		Value string `xml:"value"`
		Type  string `xml:"type"`
	} `xml:"password"`
}

func newWebspaceAdd() *webspaceAddReq {
	r := &webspaceAddReq{Name: "example.com"}
	r.Property = append(r.Property, struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	}{"ftp_login", "ftpuser"}, struct {
		Name  string `xml:"name"`
		Value string `xml:"value"`
	}{"ftp_password", "FtpS3cret!"})
	r.Password.Value, r.Password.Type = "OwnerS3cret!", "plain"
	return r
}

// TestPacketLoggingRedactsByStructure: secrets in name/value pairs and in
// password containers, in the request and in the response, never reach
// the log; the rest of the packets does.
func TestPacketLoggingRedactsByStructure(t *testing.T) {
	const resp = `<packet><webspace><add><result><status>ok</status><id>7</id>` +
		`<property><value>RespS3cret!</value><name>ftp_password</name></property>` +
		`<password><value>RespOwner!</value></password><token>Tok3n-value</token>` +
		`<guid>abc</guid></result></add></webspace></packet>`
	srv := httptest.NewServer(pleskHandler(t, resp))
	defer srv.Close()
	var logs safeBuffer
	c := mustClient(t, srv.URL, WithSecretKey(testKey), WithLogger(debugLogger(&logs)), WithPacketLogging())
	if _, err := Do[item](context.Background(), c, "", &Op{Operator: "webspace", Operation: "add", Request: newWebspaceAdd()}); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	for _, secret := range []string{"FtpS3cret!", "OwnerS3cret!", "RespS3cret!", "RespOwner!", "Tok3n-value"} {
		if strings.Contains(out, secret) {
			t.Errorf("the log shows %q:\n%s", secret, out)
		}
	}
	for _, kept := range []string{"<name>ftp_password</name><value>[REDACTED]</value>", "<value>ftpuser</value>",
		"<password><value>[REDACTED]</value>", "<type>[REDACTED]</type>", "<guid>abc</guid>", "<name>example.com</name>",
		"<value>[REDACTED]</value><name>ftp_password</name>"} {
		if !strings.Contains(out, kept) {
			t.Errorf("the log lacks %q:\n%s", kept, out)
		}
	}
}

// TestSnippetsRedactByStructure: the snippet of a body that is not a
// packet shows it, without the text of its secret elements.
func TestSnippetsRedactByStructure(t *testing.T) {
	for _, tt := range []struct {
		name, body string
		status     int
	}{
		{"HTTP 500", `Fatal: <password>Hunter2Hunter2</password> rejected`, 500},
		{"HTTP 200 text", `Fatal: <password>Hunter2Hunter2</password> rejected`, 200},
		{"HTML page", `<html><head><title>Oops</title></head><body><property><name>ftp_password</name><value>Hunter2Hunter2</value></property></body></html>`, 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(body("text/plain", tt.status, tt.body))
			defer srv.Close()
			_, err := Do[item](context.Background(), mustClient(t, srv.URL, WithSecretKey(testKey)), "", getOp())
			var te *TransportError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v", err)
			}
			if strings.Contains(err.Error(), "Hunter2") || strings.Contains(te.Snippet, "Hunter2") {
				t.Errorf("the error shows the secret: %v", err)
			}
			if !strings.Contains(te.Snippet, "[REDACTED]") {
				t.Errorf("snippet %q: want the secret element shown redacted", te.Snippet)
			}
		})
	}
}

// TestNoScrubberOracle: with a one-letter password, or one that is a word
// of the URL, nothing is rewritten around it: the texts read as sent.
func TestNoScrubberOracle(t *testing.T) {
	for _, password := range []string{"x", "ctrl", "e"} {
		srv := httptest.NewServer(body("text/plain", 500, "hex x509 ctrl checksum"))
		c := mustClient(t, srv.URL, WithLogin("admin", password))
		_, err := Do[item](context.Background(), c, "", getOp())
		srv.Close()
		msg := fmt.Sprint(err)
		if strings.Contains(msg, redacted) || strings.Contains(msg, withheld) {
			t.Errorf("password %q: the message was rewritten: %s", password, msg)
		}
		for _, want := range []string{"/enterprise/control/agent.php", "hex x509 ctrl checksum"} {
			if !strings.Contains(msg, want) {
				t.Errorf("password %q: message lacks %q: %s", password, want, msg)
			}
		}
	}
}
