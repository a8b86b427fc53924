package bindingtest

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"flag"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// sample is one packet of ../shared/plesk-samples or
// ../shared/plesk-external.
type sample struct {
	dir                             string // the collection's directory
	file, operator, operation, kind string // file is relative to dir
}

// sampleDirs are the collections of sample packets, each with an INDEX.tsv
// whose header names the file, operator, operation and kind columns.
var sampleDirs = []string{"plesk-samples", "plesk-external"}

// readSamples returns every sample INDEX.tsv in dir lists, in its order.
func readSamples(t *testing.T, dir string) []sample {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "INDEX.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	var out []sample
	col := map[string]int{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first {
			for i, c := range cols {
				col[c] = i
			}
			for _, c := range []string{"file", "operator", "operation", "kind"} {
				if _, ok := col[c]; !ok {
					t.Fatalf("%s/INDEX.tsv has no column %q", dir, c)
				}
			}
			continue
		}
		if len(cols) < len(col) {
			t.Fatalf("%s/INDEX.tsv: short line %q", dir, sc.Text())
		}
		s := sample{dir: dir, file: cols[col["file"]], operator: cols[col["operator"]],
			operation: cols[col["operation"]], kind: cols[col["kind"]]}
		if s.kind != "request" && s.kind != "response" {
			t.Fatalf("%s/INDEX.tsv: %s has kind %q", dir, s.file, s.kind)
		}
		out = append(out, s)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// roundTrip is what one version package made of one sample.
type roundTrip struct {
	decodeErr error
	out       []byte
	diff      string   // first canonical difference, "" when none
	unknown   []string // what was captured as unknown or raw
	missing   []string // input elements and texts the output lacks
	validate  error    // what the packet's Validate says
}

func (r roundTrip) fits() bool { return r.decodeErr == nil && r.diff == "" && len(r.unknown) == 0 }

// decodeSample unmarshals data into a new value of typ (RequestPacket or
// ResponsePacket), marshals it back and compares.
func decodeSample(data []byte, in *node, typ reflect.Type) roundTrip {
	var r roundTrip
	v := reflect.New(typ)
	if r.decodeErr = xml.Unmarshal(data, v.Interface()); r.decodeErr != nil {
		return r
	}
	r.unknown = unknowns(v)
	if val, ok := v.Interface().(interface{ Validate() error }); ok {
		r.validate = val.Validate()
	}
	out, err := xml.Marshal(v.Interface())
	if err != nil {
		r.decodeErr = err
		return r
	}
	r.out = out
	got, err := parseCanon(out)
	if err != nil {
		r.decodeErr = err
		return r
	}
	r.diff = diffCanon(in, got)
	r.missing = missing(in, got)
	return r
}

// TestSamplesRoundTrip decodes every sample of our operators with every
// version package and requires a lossless fit with at least one of them:
// the same canonical XML back, and nothing parked as unknown or raw. A
// sample that xmllint finds invalid against every version of our schemas
// needs no fit, but every version must decode it and keep all its elements
// and texts. A version whose schema accepts a sample must fit it.
func TestSamplesRoundTrip(t *testing.T) {
	xmllint := needXmllint(t)
	var samples []sample
	for _, d := range sampleDirs {
		dir := sharedtest.Dir(t, d)
		list := readSamples(t, dir)
		if len(list) == 0 {
			t.Fatalf("%s/INDEX.tsv lists no sample", d)
		}
		samples = append(samples, list...)
	}

	// valid[version][path]: xmllint against our schema of that version,
	// one run per version, collection and kind.
	valid := map[string]map[string]bool{}
	for _, b := range bindings {
		valid[b.version] = map[string]bool{}
		for kind, root := range map[string]string{"request": "agent_input.xsd", "response": "agent_output.xsd"} {
			files := map[string][]string{}
			for _, s := range samples {
				if s.kind == kind {
					files[s.dir] = append(files[s.dir], s.file)
				}
			}
			for dir, list := range files {
				res, err := lint(xmllint, filepath.Join(b.schemaDir(), root), dir, list)
				if err != nil {
					t.Fatal(err)
				}
				for f, v := range res {
					valid[b.version][filepath.Join(dir, f)] = v.valid
				}
			}
		}
	}

	var mu sync.Mutex
	var deviations []string // of the samples invalid for every version
	fitsPer := map[string]int{}
	nFit, nInvalid := 0, 0
	for _, s := range samples {
		path := filepath.Join(s.dir, s.file)
		t.Run(filepath.Base(s.dir)+"/"+strings.TrimSuffix(s.file, ".xml"), func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			in, err := parseCanon(data)
			if err != nil {
				t.Fatalf("the sample does not parse: %v", err)
			}
			var fits, validIn []string
			results := map[string]roundTrip{}
			for _, b := range bindings {
				typ := b.request
				if s.kind == "response" {
					typ = b.response
				}
				r := decodeSample(data, in, typ)
				results[b.version] = r
				if r.fits() {
					fits = append(fits, b.version)
					mu.Lock()
					fitsPer[b.version]++
					mu.Unlock()
				}
				if valid[b.version][path] {
					validIn = append(validIn, b.version)
				}
			}
			t.Logf("%s %s/%s: fits %v; valid for xmllint in %v", s.kind, s.operator, s.operation, orNone(fits), orNone(validIn))

			if len(validIn) == 0 {
				// Invalid by design for every version: it decodes, comes
				// back exactly as it went in, and says what deviates.
				mu.Lock()
				nInvalid++
				mu.Unlock()
				for _, b := range bindings {
					r := results[b.version]
					switch {
					case r.decodeErr != nil:
						t.Errorf("%s: invalid sample must still decode: %v", b.pkg, r.decodeErr)
					case r.diff != "":
						t.Errorf("%s: the round trip changed the packet: %s\noutput: %s", b.pkg, r.diff, r.out)
					case len(r.unknown) == 0 && r.validate == nil:
						t.Errorf("%s: a sample no version's schema accepts decodes without a deviation, and validates", b.pkg)
					}
					found := r.unknown
					if r.validate != nil {
						found = append(found, "Validate: "+r.validate.Error())
					}
					mu.Lock()
					for _, u := range found {
						deviations = append(deviations, filepath.Base(s.dir)+"/"+s.file+"\t"+b.pkg+"\t"+u)
					}
					mu.Unlock()
				}
				return
			}
			if len(fits) > 0 {
				mu.Lock()
				nFit++
				mu.Unlock()
			} else {
				t.Errorf("no version package fits the sample (valid for xmllint in %v)", validIn)
			}
			for _, v := range validIn {
				if r := results[v]; !r.fits() {
					t.Errorf("our %s schema accepts the sample, but plesk%s does not fit it:%s",
						v, strings.ReplaceAll(v, ".", ""), r.why())
				}
			}
		})
	}
	t.Logf("%d samples: %d fit at least one version, %d invalid for every version (kept losslessly)",
		len(samples), nFit, nInvalid)
	compareGolden(t, filepath.Join("testdata", "deviations.txt"), deviations)
	for _, b := range bindings {
		t.Logf("%s fits %d of %d samples", b.pkg, fitsPer[b.version], len(samples))
	}
}

// why explains a round trip that is not a fit.
func (r roundTrip) why() string {
	var b strings.Builder
	if r.decodeErr != nil {
		b.WriteString("\n\tdecode: " + r.decodeErr.Error())
	}
	if r.diff != "" {
		b.WriteString("\n\tdiffers: " + r.diff)
	}
	for _, u := range r.unknown {
		b.WriteString("\n\tunknown: " + u)
	}
	return b.String()
}

func orNone(s []string) any {
	if len(s) == 0 {
		return "none"
	}
	return s
}

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// compareGolden requires lines, sorted, to be the content of the golden
// file (go test -update rewrites it after review): the deviations each
// invalid sample reports are pinned, so that a regression in either
// direction fails.
func compareGolden(t *testing.T, file string, lines []string) {
	t.Helper()
	slices.Sort(lines)
	got := strings.Join(lines, "\n") + "\n"
	if *update {
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (go test -update writes it)", err)
	}
	if string(want) != got {
		t.Errorf("the deviations of the invalid samples differ from %s (review, then go test -update):\n%s",
			file, lineDiff(strings.Split(string(want), "\n"), strings.Split(got, "\n")))
	}
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got []string) string {
	in := map[string]int{}
	for _, l := range got {
		in[l]++
	}
	var b strings.Builder
	for _, l := range want {
		if in[l] > 0 {
			in[l]--
			continue
		}
		b.WriteString("- " + l + "\n")
	}
	for _, l := range got {
		if in[l] > 0 {
			in[l]--
			b.WriteString("+ " + l + "\n")
		}
	}
	return b.String()
}
