package gen_test

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/internal/modtest"
	"github.com/pleskgo/plesk/internal/sharedtest"
)

// TestOfficialCorpus generates bindings for Plesk's whole official 1.6.6.0
// schema set into a temporary module that uses this one, then builds, vets
// and tests it there: every packet of ../shared/plesk-samples and
// ../shared/plesk-external round-trips exactly through RequestPacket /
// ResponsePacket, and the deviations of the invalid ones are pinned in
// testdata/official_deviations.txt (go test -run TestOfficialCorpus -update
// rewrites it).
func TestOfficialCorpus(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping: builds a generated module (-short)")
	}
	schemas := sharedtest.Dir(t, "plesk-xsd", "1.6.6.0")
	samples := sharedtest.Dir(t, "plesk-samples")
	external := sharedtest.Dir(t, "plesk-external")
	golden, err := filepath.Abs(filepath.Join("testdata", "official_deviations.txt"))
	if err != nil {
		t.Fatal(err)
	}
	env := modtest.Prepare(t)
	if *updateGolden {
		env = append(env, "PLESKGO_UPDATE=1")
	}
	mod := t.TempDir()
	res, err := gen.Run(gen.Options{SchemaDir: schemas, OutDir: filepath.Join(mod, "plesk1660"), Package: "plesk1660"})
	if err != nil {
		t.Fatalf("generate: %v", err)
	}
	if len(res.Written) < 10 {
		t.Fatalf("generate wrote only %d files: %v", len(res.Written), res.Written)
	}
	modtest.WriteModule(t, mod, "corpustest")
	writeFile(t, filepath.Join(mod, "roundtrip_test.go"), strings.NewReplacer("COLLECTIONS", fmt.Sprintf("%q, %q", samples, external), "GOLDEN", golden).Replace(roundTripTest))

	for _, args := range [][]string{{"vet", "./..."}, {"test", "-count=1", "./..."}} {
		cmd := exec.Command("go", args...)
		cmd.Dir = mod
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go %s in the generated module: %v\n%s", strings.Join(args, " "), err, firstLines(string(out), 80))
		}
		t.Logf("go %s: ok\n%s", strings.Join(args, " "), firstLines(string(out), 20))
	}
}

var updateGolden = flag.Bool("update", false, "rewrite testdata/official_deviations.txt")

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

// roundTripTest runs inside the generated module. Every packet of both
// collections, valid or not, must come out of unmarshal + marshal as it
// went in (same elements in the same order, same attributes, same text).
// A packet VALIDATION.tsv marks valid decodes with no deviation; what the
// others deviate by (rpc.Deviations) must be what GOLDEN lists, so that a
// regression in either direction fails. PLESKGO_UPDATE=1 rewrites GOLDEN.
const roundTripTest = `package corpustest

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"corpustest/plesk1660"
	"github.com/pleskgo/plesk/rpc"
)

var collections = []string{COLLECTIONS}

const golden = "GOLDEN"

func TestPacketsRoundTrip(t *testing.T) {
	var report []string
	n := 0
	for _, dir := range collections {
		f, err := os.Open(filepath.Join(dir, "VALIDATION.tsv"))
		if err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(f)
		sc.Scan() // header
		for sc.Scan() {
			cols := strings.Split(sc.Text(), "\t")
			if len(cols) < 5 {
				continue
			}
			file, kind, valid := cols[0], cols[1], cols[4] == "valid"
			n++
			name := filepath.Base(dir) + "/" + file
			t.Run(name, func(t *testing.T) {
				in, err := os.ReadFile(filepath.Join(dir, file))
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
				if want, got := canonical(t, in), canonical(t, out); want != got {
					t.Errorf("round trip changed the packet\n--- in\n%s\n--- out\n%s", want, got)
				}
				var found []string
				for _, d := range rpc.Deviations(v) {
					found = append(found, d.String())
				}
				if err := v.(interface{ Validate() error }).Validate(); err != nil {
					found = append(found, "Validate: "+err.Error())
				}
				if valid && len(found) > 0 {
					t.Errorf("a schema-valid packet deviates: %q", found)
				}
				if !valid && len(found) == 0 {
					t.Errorf("a packet the official schema rejects decodes without a deviation, and validates")
				}
				for _, d := range found {
					report = append(report, name+"\t"+d)
				}
			})
		}
		f.Close()
	}
	if n < 150 {
		t.Fatalf("only %d packets listed", n)
	}
	got := strings.Join(report, "\n") + "\n"
	if os.Getenv("PLESKGO_UPDATE") == "1" {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != got {
		t.Errorf("the deviations differ from %s (PLESKGO_UPDATE=1 rewrites it after review)\n--- want\n%s--- got\n%s", golden, want, got)
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
`
