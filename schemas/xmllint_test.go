package schemas_test

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/sharedtest"
)

// xmllintVersion is the protocol version whose official schemas are in
// ../shared/plesk-xsd, so the only one xmllint can compare us against.
const xmllintVersion = "1.6.6.0"

// sampleOperators are the operators our schemas describe; samples of other
// operators are not ours to judge.
var sampleOperators = map[string]bool{
	"migration": true, "database": true, "db_server": true,
	"customer": true, "webspace": true, "system": true,
}

// TestXmllintAgreesWithOfficial validates every sample packet of our
// operators with our 1.6.6.0 schemas and with the official ones, and requires
// the same verdict: a packet is valid for us exactly when it is valid for Plesk.
func TestXmllintAgreesWithOfficial(t *testing.T) {
	samples := sharedtest.Dir(t, "plesk-samples")
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

	samplesOf := readSampleIndex(t, filepath.Join(samples, "INDEX.tsv"))
	for _, kind := range []string{"request", "response"} {
		root := map[string]string{"request": "agent_input.xsd", "response": "agent_output.xsd"}[kind]
		var files []string
		for _, s := range samplesOf[kind] {
			files = append(files, s.file)
		}
		if len(files) == 0 {
			t.Errorf("INDEX.tsv lists no %s sample of our operators", kind)
			continue
		}
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
				if w.valid != g.valid {
					t.Errorf("%s with %s: official says %s, ours says %s%s",
						s.file, root, verdict(w.valid), verdict(g.valid), indent(g.messages))
				}
			})
		}
	}
}

type sample struct{ file, operator string }

// readSampleIndex returns the samples of our operators, by kind (request or
// response), sorted by file name.
func readSampleIndex(t *testing.T, path string) map[string][]sample {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	byKind := map[string][]sample{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	header := true
	for sc.Scan() {
		if header {
			header = false
			continue
		}
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) < 4 || !sampleOperators[cols[1]] {
			continue
		}
		byKind[cols[3]] = append(byKind[cols[3]], sample{file: cols[0], operator: cols[1]})
	}
	for _, list := range byKind {
		sort.Slice(list, func(i, j int) bool { return list[i].file < list[j].file })
	}
	return byKind
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
