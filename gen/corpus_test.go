package gen_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// TestOfficialCorpus generates bindings for Plesk's whole official 1.6.6.0
// schema set into a temporary module that uses this one, then builds, vets
// and tests it there: every sample packet round-trips through
// RequestPacket / ResponsePacket with nothing lost.
func TestOfficialCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds a generated module (-short)")
	}
	schemas := sharedtest.Dir(t, "plesk-xsd", "1.6.6.0")
	samples := sharedtest.Dir(t, "plesk-samples")
	mod := t.TempDir()
	res, err := gen.Run(gen.Options{SchemaDir: schemas, OutDir: filepath.Join(mod, "plesk1660"), Package: "plesk1660"})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if len(res.Written) < 10 {
		t.Fatalf("generate wrote only %d files: %v", len(res.Written), res.Written)
	}
	root := moduleRoot(t)
	goMod := fmt.Sprintf("module corpustest\n\ngo 1.24\n\nrequire github.com/pleskgo/plesk v0.0.0\n\nreplace github.com/pleskgo/plesk => %s\n", root)
	writeFile(t, filepath.Join(mod, "go.mod"), goMod)
	writeFile(t, filepath.Join(mod, "roundtrip_test.go"), strings.ReplaceAll(roundTripTest, "SAMPLES", samples))

	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOWORK=off")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s in the generated module: %v\n%s", strings.Join(args, " "), err, firstLines(string(out), 80))
		}
		t.Logf("go %s: ok\n%s", strings.Join(args, " "), firstLines(string(out), 20))
	}
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}").Output()
	if err != nil {
		t.Fatalf("go list -m: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func firstLines(s string, n int) string {
	lines := strings.Split(s, "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("... (%d more lines)", len(lines)-n))
	}
	return strings.Join(lines, "\n")
}

// roundTripTest runs inside the generated module. For each sample that
// VALIDATION.tsv marks valid, unmarshal + marshal must give the same
// canonical XML; the others must decode and keep every element and text.
const roundTripTest = `package corpustest

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"corpustest/plesk1660"
)

const samples = "SAMPLES"

func TestSamplesRoundTrip(t *testing.T) {
	f, err := os.Open(filepath.Join(samples, "VALIDATION.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	n := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 5 {
			continue
		}
		file, kind, valid := cols[0], cols[1], cols[4] == "valid"
		n++
		t.Run(file, func(t *testing.T) {
			in, err := os.ReadFile(filepath.Join(samples, file))
			if err != nil {
				t.Fatal(err)
			}
			var v any = new(plesk1660.RequestPacket)
			if kind == "response" {
				v = new(plesk1660.ResponsePacket)
			}
			if err := xml.Unmarshal(in, v); err != nil {
				t.Fatalf("unmarshal: %v", err)
			}
			out, err := xml.Marshal(v)
			if err != nil {
				t.Fatalf("marshal: %v", err)
			}
			want, got := canonical(t, in), canonical(t, out)
			if valid {
				if want != got {
					t.Errorf("round trip changed the packet\n--- in\n%s\n--- out\n%s", want, got)
				}
				if u := untyped(reflect.ValueOf(v), "packet"); len(u) > 0 {
					t.Errorf("a schema-valid packet left parts untyped: %v", u)
				}
				return
			}
			// Not valid against 1.6.6.0 (a newer server's packet, or a
			// deviating one): it decodes, and nothing in it may be lost,
			// though unknown parts may move and a missing required element
			// is written back empty.
			if missing := notIn(lines(want), lines(got)); len(missing) > 0 {
				t.Errorf("round trip lost %q\n--- in\n%s\n--- out\n%s", missing, want, got)
			}
		})
	}
	if n < 50 {
		t.Fatalf("only %d samples listed", n)
	}
}

// canonical prints one line per element (its path and sorted attributes)
// and per non-whitespace text, in document order.
func canonical(t *testing.T, doc []byte) string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var b strings.Builder
	var path []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("canonical: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			path = append(path, tok.Name.Local)
			var attrs []string
			for _, a := range tok.Attr {
				attrs = append(attrs, a.Name.Local+"="+a.Value)
			}
			slices.Sort(attrs)
			b.WriteString(strings.Join(path, "/") + " " + strings.Join(attrs, " ") + "\n")
		case xml.EndElement:
			path = path[:len(path)-1]
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				b.WriteString(strings.Join(path, "/") + " = " + s + "\n")
			}
		}
	}
	return b.String()
}

// untyped lists where v keeps elements as raw XML: non-empty Unknown
// fields and Raw alternatives of one-of items.
func untyped(v reflect.Value, path string) []string {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return untyped(v.Elem(), path)
	case reflect.Slice:
		var out []string
		for i := 0; i < v.Len(); i++ {
			out = append(out, untyped(v.Index(i), path)...)
		}
		return out
	case reflect.Struct:
		var out []string
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Type.PkgPath() == "encoding/xml" {
				continue
			}
			switch {
			case f.Name == "Unknown" && v.Field(i).Len() > 0, f.Name == "Raw" && !v.Field(i).IsNil():
				out = append(out, path+"."+f.Name)
			case f.Type.String() == "rpc.Raw" || f.Type.String() == "[]rpc.Raw" || f.Type.String() == "*rpc.Raw":
			default:
				out = append(out, untyped(v.Field(i), path+"."+f.Name)...)
			}
		}
		return out
	}
	return nil
}

func lines(s string) []string {
	l := strings.Split(strings.TrimSpace(s), "\n")
	slices.Sort(l)
	return l
}

// notIn returns the lines of want (a sorted multiset) missing from got.
func notIn(want, got []string) []string {
	var missing []string
	i := 0
	for _, w := range want {
		for i < len(got) && got[i] < w {
			i++
		}
		if i < len(got) && got[i] == w {
			i++
			continue
		}
		missing = append(missing, w)
	}
	return missing
}
`
