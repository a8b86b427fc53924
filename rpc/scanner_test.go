package rpc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// chunkReader returns at most n bytes per Read, to put token boundaries
// everywhere in the scanner's buffer.
type chunkReader struct {
	b []byte
	n int
}

func (r *chunkReader) Read(p []byte) (int, error) {
	if len(r.b) == 0 {
		return 0, io.EOF
	}
	n := copy(p[:min(len(p), r.n)], r.b)
	r.b = r.b[n:]
	return n, nil
}

// stdTokens is the oracle: encoding/xml's RawToken, strict, no entities.
// A directive ends the stream with errDirective, as the scanner does.
func stdTokens(data []byte) ([]xml.Token, error) {
	d := xml.NewDecoder(bytes.NewReader(data))
	var toks []xml.Token
	for {
		t, err := d.RawToken()
		if err != nil {
			return toks, err
		}
		if _, ok := t.(xml.Directive); ok {
			return toks, errDirective
		}
		toks = append(toks, xml.CopyToken(t))
	}
}

func scanTokens(data []byte, chunk, bufSize int) ([]xml.Token, error) {
	s := newScanner(&chunkReader{b: data, n: chunk})
	s.buf = make([]byte, bufSize)
	var toks []xml.Token
	for {
		t, err := s.Token()
		if err != nil {
			return toks, err
		}
		toks = append(toks, xml.CopyToken(t))
	}
}

// sameTokens compares the scanner with encoding/xml on data, read in
// several chunk and buffer sizes.
func sameTokens(t *testing.T, data []byte) {
	t.Helper()
	want, wantErr := stdTokens(data)
	for _, sz := range []struct{ chunk, buf int }{{1 << 20, scannerBuf}, {1, 4}, {3, 16}, {7, 64}} {
		got, err := scanTokens(data, sz.chunk, sz.buf)
		if stricter(t, data, want, got, err) {
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%q (chunk %d, buffer %d): tokens (-encoding/xml +scanner):\n%s", data, sz.chunk, sz.buf, diff)
		}
		stdEOF, eof := wantErr == io.EOF, err == io.EOF
		if stdEOF != eof || (wantErr == errDirective) != (err == errDirective) {
			t.Fatalf("%q (chunk %d, buffer %d): encoding/xml ends with %v, the scanner with %v", data, sz.chunk, sz.buf, wantErr, err)
		}
	}
}

// stricter reports whether the scanner refused, as not well-formed, what
// encoding/xml lets through (see wfError); it must have stopped there, the
// tokens before being encoding/xml's.
func stricter(t *testing.T, data []byte, want, got []xml.Token, err error) bool {
	t.Helper()
	var wf *wfError
	if !errors.As(err, &wf) {
		return false
	}
	if len(got) > len(want) {
		t.Fatalf("%q: the scanner refused (%v) after more tokens than encoding/xml read", data, err)
	}
	if diff := cmp.Diff(want[:len(got)], got); len(got) > 0 && diff != "" {
		t.Fatalf("%q: before refusing (%v), tokens (-encoding/xml +scanner):\n%s", data, err, diff)
	}
	return true
}

var scannerSeeds = []string{
	``,
	`<packet version="1.6.9.1"><customer><get><result><status>ok</status></result></get></customer></packet>`,
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<packet>\r\n<a b='1' c = \"x&amp;y&#x41;&#66;\"/></packet>",
	`<?xml version="1.1"?><a/>`,
	`<?xml version="1.0" encoding="ISO-8859-1"?><a/>`,
	`<?xml-stylesheet href="a"?><?x?><??><?x y?z?>`,
	`<a>t &lt; &gt; &amp; &apos; &quot; &#10; &#x1F600; &#0; </a>`,
	`<a>&nbsp;</a>`, `<a>&amp</a>`, `<a>& x</a>`, `<a>&#xZ;</a>`, `<a>&#1114112;</a>`, `<a>&#;</a>`,
	`<a>]]></a>`, `<a>]]]></a>`, `<a>] ]></a>`, `<a x="]]>"/>`,
	`<a><![CDATA[ x < y ]] > & ]]></a>`, `<a><![CDATA[`, `<a><![CDAT[x]]></a>`, `<![CDATA[]]>`,
	`<!-- c --><a><!----><!-- - --></a>`, `<!-- a -- b -->`, `<!--->`, `<!- x -->`, `<!--`, `<!-- x --`,
	`<!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>`, `<!ELEMENT a ANY>`, `<!`,
	`<a:b xmlns:a="u" a:c="1"><a:b/></a:b>`, `<a:b:c/>`, `<:a/>`, `<a:/>`, `<1a/>`, `<-a/>`, `<.a/>`, `<a1.-_:b/>`,
	`<a b/>`, `<a b=c/>`, `<a b="c"d="e"/>`, `<a b="c" / >`, `<a b="c"/ >`, `<a b="<"/>`, `<a b="x`, `<a b=`, `<a b`, `<a `, `<a`, `<`,
	`<a <b>`, `<a/<b>`, `<a b="1" <c>`, `<a>x</a >`, `</a`, `</`, `</a b>`, `</ a>`, `</a<`, `<a></a></b>`,
	"<a>\r\n\r x\ry\n</a>", "<a b=\"1\r\n2\t3\"/>", "<a>\x00</a>", "<a>\x01</a>", "<a>\xff</a>", "<a b=\"\x02\"/>",
	"\ufeff<a/>", "<\u00e9l\u00e8ve att\u00e9=\"\u00e9\"/>", "<a\u0300/>", "<\u0300a/>", "<a>\ufffe</a>", "<a>\U0001F600</a>",
	"<?\u00e9 x?>", "<?a:b:c x?>", "text before <a/> and after", "<a>" + strings.Repeat("long text ", 50) + "</a>",
	`<a b="` + strings.Repeat("v", 300) + `" ` + strings.Repeat("c", 100) + `="2"/>`,
}

func TestScannerMatchesEncodingXML(t *testing.T) {
	for _, s := range scannerSeeds {
		sameTokens(t, []byte(s))
	}
}

func TestScannerOnSamples(t *testing.T) {
	dir := sharedtest.Dir(t, "plesk-samples")
	files, _ := filepath.Glob(filepath.Join(dir, "*", "*.xml"))
	if len(files) == 0 {
		t.Fatalf("no samples in %s", dir)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sameTokens(t, data)
	}
	sameTokens(t, resultsBody(50))
}

func FuzzScanner(f *testing.F) {
	for _, s := range scannerSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := stdTokens(data)
		got, err := scanTokens(data, 5, 16)
		if stricter(t, data, want, got, err) {
			return
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("%q: tokens (-encoding/xml +scanner):\n%s", data, diff)
		}
		if (wantErr == io.EOF) != (err == io.EOF) {
			t.Fatalf("%q: encoding/xml ends with %v, the scanner with %v", data, wantErr, err)
		}
	})
}

func TestScannerReadError(t *testing.T) {
	boom := errors.New("boom")
	s := newScanner(io.MultiReader(strings.NewReader("<a><b>te"), iotestErrReader{boom}))
	var err error
	for err == nil {
		_, err = s.Token()
	}
	if err != boom {
		t.Errorf("err = %v, want the read error", err)
	}
}

type iotestErrReader struct{ err error }

func (r iotestErrReader) Read([]byte) (int, error) { return 0, r.err }

// TestScannerInternsNames: element names repeat all through a response;
// they are allocated once.
func TestScannerInternsNames(t *testing.T) {
	body := resultsBody(100)
	s := newScanner(nil)
	allocs := testing.AllocsPerRun(5, func() {
		s.reset(bytes.NewReader(body))
		for {
			if _, err := s.Token(); err != nil {
				break
			}
		}
	})
	// Element tags and the white space between them come boxed from the
	// tables: only text is allocated, one box per text token.
	toks, _ := stdTokens(body)
	texts := 0
	for _, tok := range toks {
		if c, ok := tok.(xml.CharData); ok && len(bytes.TrimSpace(c)) > 0 {
			texts++
		}
	}
	if allocs > float64(texts)+8 { // + the declaration and the version attribute
		t.Errorf("%.0f allocations for %d tokens, %d of them text", allocs, len(toks), texts)
	}
}
