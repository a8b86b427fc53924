package rpc_test

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

// handMade is a request type a program writes itself for rpc.Do.
type handMade struct {
	Mode  string `xml:"mode,attr"`
	Inner struct {
		Name string `xml:"name"`
		Note []byte `xml:"note"`
	} `xml:"gen_info"`
	Tags []string `xml:"tags>tag"`
}

// disallowed is one spelling of a character XML 1.0 cannot carry, as the
// bytes a Go string holds.
func disallowed(r *rand.Rand) string {
	switch r.IntN(6) {
	case 0: // a C0 control other than TAB, LF, CR
		for {
			if c := byte(r.IntN(0x20)); c != '\t' && c != '\n' && c != '\r' {
				return string([]byte{c})
			}
		}
	case 1:
		return []string{"\uFFFE", "\uFFFF"}[r.IntN(2)]
	case 2: // a lone surrogate as WTF-8 / CESU-8 bytes
		s := 0xD800 + r.IntN(0x800)
		return string([]byte{0xED, byte(0x80 | s>>6&0x3F), byte(0x80 | s&0x3F)})
	case 3: // a stray continuation byte
		return string([]byte{byte(0x80 + r.IntN(0x40))})
	case 4: // a truncated sequence
		return string([]byte{0xE2, 0x82})
	default: // bytes that are never UTF-8
		return string([]byte{byte(0xF8 + r.IntN(8))})
	}
}

// allowedString is a random string of characters XML 1.0 carries, with
// those a writer or parser is likely to change: TAB, CR, LF, CR LF,
// markup, quotes, U+FFFD and characters beyond the BMP.
func allowedString(r *rand.Rand) string {
	pieces := []string{"\t", "\r", "\n", "\r\n", " ", "<", ">", "&", `"`, "'", "]]>", "\uFFFD", "é", "密", "😀", "\U0010FFFD", "\uE000", "a", "Z", "9", "&amp;", "\u0085", "\u2028"}
	var b strings.Builder
	for range r.IntN(12) {
		if r.IntN(3) == 0 {
			b.WriteRune(rune(0x20 + r.IntN(0xD7FF-0x20)))
		} else {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	return b.String()
}

// A string XML cannot carry is refused before anything is sent, naming
// where and at which byte, never the value; every string XML carries
// reaches the server byte for byte, CR and TAB included.
func TestRequestCharsRefusedNeverReplaced(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 1))
	for range 500 {
		prefix, suffix := allowedString(r), allowedString(r)
		bad := prefix + disallowed(r) + suffix
		want := len(prefix)
		cases := []struct {
			path string
			req  any
			op   string
		}{
			{"gen_info/passwd", &plesk1691.CustomerAdd{GenInfo: plesk1691.ClientAddGenInfo{Pname: "p", Login: "l", Passwd: bad}}, "add"},
			{"@mode", &handMade{Mode: bad}, "set"},
			{"gen_info/name", func() any { h := &handMade{}; h.Inner.Name = bad; return h }(), "set"},
			{"gen_info/note", func() any { h := &handMade{}; h.Inner.Note = []byte(bad); return h }(), "set"},
			{"tags/tag[1]", &handMade{Tags: []string{"ok", bad}}, "set"},
		}
		for _, c := range cases {
			inv := rpc.InvokerFunc(func(ctx context.Context, version string, ops ...*rpc.Op) error {
				var buf bytes.Buffer
				return rpc.EncodeRequest(&buf, version, ops...)
			})
			_, err := rpc.Do[struct{}](context.Background(), inv, "", &rpc.Op{Operator: "customer", Operation: c.op, Request: c.req})
			var ve *rpc.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("%s holding %q: err = %v, want a *rpc.ValidationError", c.path, bad, err)
			}
			if ve.Path != c.path {
				t.Errorf("%s holding %q: Path = %q", c.path, bad, ve.Path)
			}
			if !strings.Contains(ve.Problem, " at byte "+strconv.Itoa(want)+" ") {
				t.Errorf("%s holding %q: problem %q does not name byte %d", c.path, bad, ve.Problem, want)
			}
			if len(bad) >= 3 && strings.Contains(err.Error(), bad) || prefix != "" && strings.Contains(err.Error(), prefix) && len(prefix) > 2 {
				t.Errorf("%s: the error shows the value: %v", c.path, err)
			}
		}
		// EncodeRequest on its own refuses too: what goes on the wire is checked there.
		var buf bytes.Buffer
		err := rpc.EncodeRequest(&buf, "", &rpc.Op{Operator: "customer", Operation: "add",
			Request: &plesk1691.CustomerAdd{GenInfo: plesk1691.ClientAddGenInfo{Passwd: bad}}})
		var ve *rpc.ValidationError
		if !errors.As(err, &ve) || ve.Path != "gen_info/passwd" {
			t.Fatalf("EncodeRequest with %q: %v", bad, err)
		}
	}
}

func TestRequestCharsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 2))
	for range 2000 {
		s := allowedString(r)
		if !utf8.ValidString(s) {
			t.Fatalf("generator made %q", s)
		}
		h := &handMade{Mode: s, Tags: []string{s}}
		h.Inner.Name = s
		h.Inner.Note = []byte(s)
		gen := &plesk1691.CustomerAdd{GenInfo: plesk1691.ClientAddGenInfo{Pname: s, Login: "l", Passwd: s}}
		var buf bytes.Buffer
		err := rpc.EncodeRequest(&buf, "1.6.9.1",
			&rpc.Op{Operator: "customer", Operation: "set", Request: h},
			&rpc.Op{Operator: "customer", Operation: "add", Request: gen})
		if err != nil {
			t.Fatalf("%q refused: %v", s, err)
		}
		var got struct {
			Customer struct {
				Set struct {
					handMade
				} `xml:"set"`
				Add struct {
					Pname  string `xml:"gen_info>pname"`
					Passwd string `xml:"gen_info>passwd"`
				} `xml:"add"`
			} `xml:"customer"`
		}
		if err := xml.Unmarshal(buf.Bytes(), &got); err != nil {
			t.Fatalf("%q: the packet does not parse: %v\n%s", s, err, buf.Bytes())
		}
		set, add := got.Customer.Set.handMade, got.Customer.Add
		for what, v := range map[string]string{"attribute": set.Mode, "text": set.Inner.Name, "bytes": string(set.Inner.Note),
			"list item": strings.Join(set.Tags, ""), "generated text": add.Passwd, "generated pname": add.Pname} {
			if v != s {
				t.Fatalf("%s %q arrives as %q\n%s", what, s, v, buf.Bytes())
			}
		}
	}
}

type textValue struct{ s string }

func (v textValue) MarshalText() ([]byte, error) { return []byte(v.s), nil }

type Embedded struct {
	Login string `xml:"login"`
}

type noted struct {
	Text string `xml:",chardata"`
	Unit string `xml:"unit,attr,omitempty"`
}

// Every way encoding/xml writes a string is checked: embedded fields,
// character data, comments, TextMarshaler values, ",any,attr" attributes.
func TestRequestCharsEveryWayOfWriting(t *testing.T) {
	type req struct {
		Embedded
		Size    noted      `xml:"size"`
		Comment string     `xml:",comment"`
		Text    textValue  `xml:"text"`
		Attrs   []xml.Attr `xml:",any,attr"`
	}
	bad := "ab\x01"
	for path, r := range map[string]*req{
		"login":      {Embedded: Embedded{Login: bad}},
		"size":       {Size: noted{Text: bad}},
		"size/@unit": {Size: noted{Text: "1", Unit: bad}},
		"":           {Comment: bad},
		"text":       {Text: textValue{bad}},
		"@extra":     {Attrs: []xml.Attr{{Name: xml.Name{Local: "extra"}, Value: bad}}},
	} {
		var buf bytes.Buffer
		err := rpc.EncodeRequest(&buf, "", &rpc.Op{Operator: "server", Operation: "set", Request: r})
		var ve *rpc.ValidationError
		if !errors.As(err, &ve) || ve.Path != path || !strings.Contains(ve.Problem, "a control character at byte 2 ") {
			t.Errorf("%q: err = %v, want a *rpc.ValidationError at %q, byte 2", path, err, path)
		}
	}
}
