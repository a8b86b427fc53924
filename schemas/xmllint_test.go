package schemas_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// xmllintVersion is the protocol version whose official schemas are in
// ../shared/plesk-xsd, so the only one xmllint can compare us against.
const xmllintVersion = "1.6.6.0"

// sampleDirs are the collections of sample packets: each has an INDEX.tsv
// (file, operator, operation, kind, …) and a VALIDATION.tsv with the
// official schemas' verdict (file, kind, …, xsd_result).
var sampleDirs = []string{"plesk-samples", "plesk-external"}

// TestXmllintAgreesWithOfficial validates every sample packet of both
// collections, valid and invalid alike, with our 1.6.6.0 schemas and with
// the official ones, and requires the same verdict: a packet is valid for us
// exactly when it is valid for Plesk. The official verdicts must also be the
// ones VALIDATION.tsv records, so the comparison is against the right schemas.
func TestXmllintAgreesWithOfficial(t *testing.T) {
	official := sharedtest.Dir(t, "plesk-xsd", xmllintVersion)
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv(sharedtest.EnvRequire) != "" {
			t.Fatalf("xmllint is required (%s is set) but not on PATH", sharedtest.EnvRequire)
		}
		t.Skip("skipping: xmllint is not installed (apt-get install libxml2-utils)")
	}
	ours, err := filepath.Abs(xmllintVersion)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range sampleDirs {
		samples := sharedtest.Dir(t, d)
		t.Run(d, func(t *testing.T) {
			samplesOf := readSampleIndex(t, filepath.Join(samples, "INDEX.tsv"))
			recorded := readValidation(t, filepath.Join(samples, "VALIDATION.tsv"))
			n := 0
			for _, kind := range []string{"request", "response"} {
				root := map[string]string{"request": "agent_input.xsd", "response": "agent_output.xsd"}[kind]
				var files []string
				for _, s := range samplesOf[kind] {
					files = append(files, s.file)
				}
				if len(files) == 0 {
					t.Errorf("%s/INDEX.tsv lists no %s sample", d, kind)
					continue
				}
				n += len(files)
				want, err := validate(xmllint, samples, filepath.Join(official, root), files)
				if err != nil {
					t.Fatalf("official %s: %v", root, err)
				}
				got, err := validate(xmllint, samples, filepath.Join(ours, root), files)
				if err != nil {
					t.Errorf("our %s/%s: %v", xmllintVersion, root, err)
					continue
				}
				for _, s := range samplesOf[kind] {
					t.Run(s.operator+"/"+filepath.Base(s.file), func(t *testing.T) {
						w, g := want[s.file], got[s.file]
						if r, ok := recorded[s.file]; ok && r != verdict(w.valid) {
							t.Errorf("%s: the official %s says %s, VALIDATION.tsv records %s", s.file, root, verdict(w.valid), r)
						}
						if w.valid != g.valid {
							t.Errorf("%s with %s: official says %s, ours says %s%s",
								s.file, root, verdict(w.valid), verdict(g.valid), indent(g.messages))
						}
					})
				}
			}
			if n < 10 {
				t.Errorf("%s: only %d samples", d, n)
			}
		})
	}
}

type sample struct{ file, operator string }

// readSampleIndex returns every sample of an INDEX.tsv, by kind (request or
// response), sorted by file name. The header names the columns.
func readSampleIndex(t *testing.T, path string) map[string][]sample {
	t.Helper()
	rows := readTSV(t, path, "file", "operator", "kind")
	byKind := map[string][]sample{}
	for _, r := range rows {
		byKind[r["kind"]] = append(byKind[r["kind"]], sample{file: r["file"], operator: r["operator"]})
	}
	for _, list := range byKind {
		sort.Slice(list, func(i, j int) bool { return list[i].file < list[j].file })
	}
	return byKind
}

// readValidation returns the official verdict VALIDATION.tsv records for
// each file: "valid" or "invalid".
func readValidation(t *testing.T, path string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, r := range readTSV(t, path, "file", "xsd_result") {
		out[r["file"]] = r["xsd_result"]
	}
	return out
}

// readTSV reads a tab-separated file whose first line names the columns,
// requiring the named ones.
func readTSV(t *testing.T, path string, need ...string) []map[string]string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var header []string
	var rows []map[string]string
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if header == nil {
			header = cols
			for _, n := range need {
				if !slices.Contains(header, n) {
					t.Fatalf("%s has no column %q", path, n)
				}
			}
			continue
		}
		r := map[string]string{}
		for i, c := range cols {
			if i < len(header) {
				r[header[i]] = c
			}
		}
		rows = append(rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

type lintResult struct {
	valid    bool
	messages []string
}

// validate runs one xmllint over all files (paths relative to dir) against
// schema and returns each file's verdict with the messages about it. It fails
// when the schema does not compile or a file gets no verdict.
func validate(xmllint, dir, schema string, files []string) (map[string]lintResult, error) {
	cmd := exec.Command(xmllint, append([]string{"--noout", "--schema", schema}, files...)...)
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput() // the exit status only says that some file failed
	if bytes.Contains(out, []byte("failed to compile")) {
		return nil, fmt.Errorf("xmllint cannot compile the schema:%s", indent(firstLines(string(out), 12)))
	}
	res := map[string]lintResult{}
	for _, line := range strings.Split(string(out), "\n") {
		switch {
		case line == "":
		case strings.HasSuffix(line, " validates"):
			f := strings.TrimSuffix(line, " validates")
			r := res[f]
			r.valid = true
			res[f] = r
		case strings.HasSuffix(line, " fails to validate"):
			f := strings.TrimSuffix(line, " fails to validate")
			v := res[f] // record the file even when xmllint says nothing more
			res[f] = v
		default:
			if f, _, ok := strings.Cut(line, ":"); ok {
				r := res[f]
				r.messages = append(r.messages, line)
				res[f] = r
			}
		}
	}
	for _, f := range files {
		if _, ok := res[f]; !ok {
			return nil, fmt.Errorf("xmllint gave no verdict on %s:%s", f, indent(firstLines(string(out), 12)))
		}
	}
	return res, nil
}

func firstLines(s string, n int) []string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append(lines[:n], fmt.Sprintf("… (%d more lines)", len(lines)-n))
	}
	return lines
}

func verdict(valid bool) string {
	if valid {
		return "valid"
	}
	return "invalid"
}

func indent(lines []string) string {
	if len(lines) == 0 {
		return ""
	}
	return "\n\t" + strings.Join(lines, "\n\t")
}
