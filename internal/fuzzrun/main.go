// Command fuzzrun runs every fuzz target of the module, one after the
// other, each for the same time, and sums them up. It is `make fuzz`:
//
//	go run ./internal/fuzzrun -fuzztime 10s [PACKAGES]
//
// The targets are what `go test -list '^Fuzz'` finds in PACKAGES (./...).
// A target fails when go test fails and writes a crasher to the package's
// testdata/fuzz/<Fuzz>/, which is then to be kept and named in a
// regression test. A go test that fails with nothing but "context deadline
// exceeded" as -fuzztime runs out, and writes no crasher, hit the race of
// Go's fuzzing coordinator fixed in Go 1.27 (go.dev/issue/75804): fuzzrun
// reports it and counts the target as passed, since it fuzzed for the whole
// time without finding anything.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"text/tabwriter"
)

type target struct {
	pkg, name, dir string
}

type outcome struct {
	target
	execs, interesting string
	status             string
}

func main() {
	fuzztime := flag.String("fuzztime", "10s", "how long to fuzz each target (go test -fuzztime)")
	goCmd := flag.String("go", "go", "the go command")
	flag.Parse()
	pkgs := flag.Args()
	if len(pkgs) == 0 {
		pkgs = []string{"./..."}
	}
	targets, err := list(*goCmd, pkgs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "fuzzrun:", err)
		os.Exit(2)
	}
	if len(targets) == 0 {
		fmt.Fprintln(os.Stderr, "fuzzrun: no fuzz targets in", strings.Join(pkgs, " "))
		os.Exit(2)
	}
	var results []outcome
	failed := false
	for _, t := range targets {
		o := run(*goCmd, t, *fuzztime)
		results = append(results, o)
		failed = failed || strings.HasPrefix(o.status, "FAIL")
	}
	fmt.Printf("\nfuzz targets, %s each:\n", *fuzztime)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "target\tpackage\texecs\tnew interesting\tresult")
	for _, o := range results {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", o.name, o.pkg, o.execs, o.interesting, o.status)
	}
	tw.Flush()
	if failed {
		os.Exit(1)
	}
}

// list returns the fuzz targets of pkgs in the order go test lists them.
func list(goCmd string, pkgs []string) ([]target, error) {
	out, err := exec.Command(goCmd, append([]string{"test", "-list", "^Fuzz"}, pkgs...)...).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("go test -list: %v\n%s", err, out)
	}
	var targets []target
	var names []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 1 && strings.HasPrefix(f[0], "Fuzz"):
			names = append(names, f[0])
		case len(f) >= 2 && f[0] == "ok":
			if len(names) == 0 {
				continue
			}
			dir, err := exec.Command(goCmd, "list", "-f", "{{.Dir}}", f[1]).Output()
			if err != nil {
				return nil, fmt.Errorf("go list %s: %v", f[1], err)
			}
			for _, n := range names {
				targets = append(targets, target{pkg: f[1], name: n, dir: strings.TrimSpace(string(dir))})
			}
			names = nil
		}
	}
	return targets, sc.Err()
}

var (
	execsRE  = regexp.MustCompile(`execs: (\d+) .*new interesting: (\d+)`)
	raceTail = "context deadline exceeded"
)

// run fuzzes one target, its output going to stdout as it comes.
func run(goCmd string, t target, fuzztime string) outcome {
	fmt.Printf("== %s (%s, %s)\n", t.name, t.pkg, fuzztime)
	corpus := filepath.Join(t.dir, "testdata", "fuzz", t.name)
	before := entries(corpus)
	var out bytes.Buffer
	cmd := exec.Command(goCmd, "test", "-run", "^$", "-fuzz", "^"+t.name+"$", "-fuzztime", fuzztime, t.pkg)
	cmd.Stdout = io.MultiWriter(os.Stdout, &out)
	cmd.Stderr = cmd.Stdout
	err := cmd.Run()
	o := outcome{target: t, execs: "?", interesting: "?", status: "ok"}
	if m := execsRE.FindAllStringSubmatch(out.String(), -1); len(m) > 0 {
		o.execs, o.interesting = m[len(m)-1][1], m[len(m)-1][2]
	}
	if err == nil {
		return o
	}
	var added []string
	for name := range entries(corpus) {
		if !before[name] {
			added = append(added, filepath.Join(corpus, name))
		}
	}
	switch {
	case len(added) > 0:
		o.status = "FAIL: crasher " + strings.Join(added, ", ")
	case coordinatorRace(out.String()):
		o.status = "ok (Go's fuzz coordinator reported its deadline race, go.dev/issue/75804; no crasher)"
		fmt.Println("fuzzrun: no crasher was written; the failure is the coordinator's deadline race, not the target")
	default:
		o.status = "FAIL: " + lastLine(out.String())
	}
	return o
}

// coordinatorRace reports a go test output whose only complaint is the
// coordinator's "context deadline exceeded".
func coordinatorRace(out string) bool {
	if !strings.Contains(out, raceTail) || strings.Contains(out, "Failing input written") {
		return false
	}
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if strings.Contains(l, "panic:") || strings.Contains(l, ".go:") {
			return false
		}
	}
	return true
}

func entries(dir string) map[string]bool {
	m := map[string]bool{}
	des, _ := os.ReadDir(dir)
	for _, de := range des {
		m[de.Name()] = true
	}
	return m
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}
