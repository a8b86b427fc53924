// Command benchtable runs the project's benchmarks and prints one Markdown
// table of its figures, each as a ratio against its yardstick measured in
// the same run, so that the machine cancels out. It is `make bench`:
//
//	go run ./internal/benchtable [-count 3]
//
// A figure and its yardstick run in the same go test process, one after
// the other; with -count above 1 the pair runs that many times, in turn,
// and each figure is the median of its runs, so that a machine busy with
// something else for a while weighs on both alike. The machine (CPUs, CPU
// model, Go version) is printed above the table.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// group is one go test run: benchmarks of one package.
type group struct {
	pkg       string
	benches   []string
	benchtime string // "" for go test's default
	count     int    // rounds; 0: the -count flag
}

// figure is one row of the table.
type figure struct {
	title     string
	bench     string // the figure's benchmark
	yardstick string // the benchmark it is measured against
	yardTitle string
	unit      string  // the metric compared: "ns/op", "peak-B"
	goal      float64 // the ratio to stay under
}

var groups = []group{
	{pkg: "./gen", benches: []string{"BenchmarkGenerateCorpus"}, benchtime: "10x"},
	{pkg: "./gen/xsd", benches: []string{"BenchmarkTokenizeCorpus"}},
	{pkg: "./rpc", benches: []string{"BenchmarkCallOverhead", "BenchmarkRawPost", "BenchmarkStreamResults", "BenchmarkRawTokens"}},
	{pkg: "./rpc", benches: []string{"BenchmarkPeakStream100k", "BenchmarkPeakWhole100k"}, benchtime: "2x", count: 1},
	{pkg: "./rpc/plesktest", benches: []string{"BenchmarkBatch100", "BenchmarkSingles100"}, benchtime: "5x"},
	{pkg: "./rpc", benches: []string{"BenchmarkHostilePeak", "BenchmarkHostileBody"}, benchtime: "1x", count: 1},
}

var figures = []figure{
	{"Generate the official 1.6.6.0 corpus (77 files, both roots, written)", "BenchmarkGenerateCorpus",
		"BenchmarkTokenizeCorpus", "encoding/xml tokens of the same files", "ns/op", 10},
	{"Call overhead: one small operation through the client (loopback)", "BenchmarkCallOverhead",
		"BenchmarkRawPost", "raw net/http POST of the same packet", "ns/op", 1.2},
	{"Streaming decode of 10,000 results", "BenchmarkStreamResults",
		"BenchmarkRawTokens", "encoding/xml token loop over the same bytes", "ns/op", 2},
	{"100 operations in one packet, plesktest with 5 ms latency", "BenchmarkBatch100",
		"BenchmarkSingles100", "100 single calls", "ns/op", 0.1},
	{"Peak heap streaming 100,000 results (plesk1691.WebspaceGetResult)", "BenchmarkPeakStream100k",
		"BenchmarkPeakWhole100k", "the same results decoded whole (Do)", "peak-B", 0.1},
	{"Peak live heap of the worst hostile 8 MiB body (attribute floods, empty results, unknown elements, huge tokens)",
		"BenchmarkHostilePeak", "BenchmarkHostileBody", "the size of the body", "peak-B", 8},
}

func main() {
	count := flag.Int("count", 3, "rounds of each figure and its yardstick; the table shows the medians")
	goCmd := flag.String("go", "go", "the go command")
	verbose := flag.Bool("v", false, "echo go test's output")
	flag.Parse()

	results := map[string]map[string][]float64{} // benchmark -> unit -> values
	for _, g := range groups {
		n := g.count
		if n == 0 {
			n = *count
		}
		args := []string{"test", "-run", "^$", "-bench", "^(" + strings.Join(g.benches, "|") + ")$", "-benchmem"}
		if g.benchtime != "" {
			args = append(args, "-benchtime", g.benchtime)
		}
		args = append(args, g.pkg)
		for round := range n {
			fmt.Fprintf(os.Stderr, "benchtable: (%d/%d) %s %s\n", round+1, n, *goCmd, strings.Join(args, " "))
			cmd := exec.Command(*goCmd, args...)
			cmd.Stderr = os.Stderr
			out, err := cmd.Output()
			if *verbose {
				os.Stderr.Write(out)
			}
			if err != nil {
				fmt.Fprintf(os.Stderr, "benchtable: go test %s: %v\n%s", g.pkg, err, out)
				os.Exit(1)
			}
			parse(out, results)
		}
	}

	fmt.Printf("Machine: %d CPUs, %s, %s %s/%s.\n\n", runtime.NumCPU(), cpuModel(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Println("| figure | value | yardstick | ratio | goal |")
	fmt.Println("|---|---|---|---|---|")
	failed := false
	for _, f := range figures {
		v, vok := median(results[f.bench][f.unit])
		y, yok := median(results[f.yardstick][f.unit])
		if !vok || !yok || y == 0 {
			fmt.Printf("| %s | n/a | %s | n/a | ≤ %s× |\n", f.title, f.yardTitle, trim(f.goal))
			continue
		}
		ratio := v / y
		mark := "✓"
		if ratio > f.goal {
			mark, failed = "✗", true
		}
		fmt.Printf("| %s | %s | %s: %s | %s× | ≤ %s× %s |\n", f.title, format(v, f.unit), f.yardTitle, format(y, f.unit),
			ratioText(ratio), trim(f.goal), mark)
	}
	if failed {
		fmt.Println("\nA figure misses its goal (✗).")
	}
	packageSize(*goCmd, "./generated/plesk1691")
}

// packageSize prints what one version package costs its users: its
// operators and lines, the size of its compiled archive and the time a cold
// build of it takes (its dependencies, the standard library and rpc, built
// before, in a build cache of its own).
func packageSize(goCmd, pkg string) {
	tmp, err := os.MkdirTemp("", "benchtable")
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
		return
	}
	defer os.RemoveAll(tmp)
	env := append(os.Environ(), "GOCACHE="+filepath.Join(tmp, "cache"))
	run := func(args ...string) (time.Duration, error) {
		cmd := exec.Command(goCmd, args...)
		cmd.Env, cmd.Stderr = env, os.Stderr
		start := time.Now()
		err := cmd.Run()
		return time.Since(start), err
	}
	fmt.Fprintf(os.Stderr, "benchtable: cold build of %s\n", pkg)
	if _, err := run("build", "github.com/pleskgo/plesk/rpc/rpcimpl"); err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: building the runtime: %v\n", err)
		return
	}
	archive := filepath.Join(tmp, "pkg.a")
	took, err := run("build", "-o", archive, pkg)
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: building %s: %v\n", pkg, err)
		return
	}
	st, err := os.Stat(archive)
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
		return
	}
	files, _ := filepath.Glob(filepath.Join(strings.TrimPrefix(pkg, "./"), "*.go"))
	lines, operators := 0, 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		lines += bytes.Count(data, []byte("\n"))
		operators += bytes.Count(data, []byte("Operator struct {"))
	}
	fmt.Printf("\n| package | operators | Go lines | archive | cold build (dependencies cached) |\n|---|---|---|---|---|\n")
	fmt.Printf("| %s | %d | %d | %.1f MiB | %.1f s |\n", strings.TrimPrefix(pkg, "./"), operators, lines, float64(st.Size())/(1<<20), took.Seconds())
}

// parse collects the metrics of go test -bench output lines such as
// "BenchmarkX-2  10  123 ns/op  45 B/op".
func parse(out []byte, results map[string]map[string][]float64) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := f[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			name = name[:i]
		}
		if results[name] == nil {
			results[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				break
			}
			results[name][f[i+1]] = append(results[name][f[i+1]], v)
		}
	}
}

func median(vs []float64) (float64, bool) {
	if len(vs) == 0 {
		return 0, false
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

func format(v float64, unit string) string {
	switch unit {
	case "ns/op":
		switch {
		case v >= 1e9:
			return fmt.Sprintf("%.2f s", v/1e9)
		case v >= 1e6:
			return fmt.Sprintf("%.1f ms", v/1e6)
		case v >= 1e3:
			return fmt.Sprintf("%.1f µs", v/1e3)
		}
		return fmt.Sprintf("%.0f ns", v)
	case "peak-B":
		switch {
		case v >= 1<<20:
			return fmt.Sprintf("%.1f MiB", v/(1<<20))
		case v >= 1<<10:
			return fmt.Sprintf("%.0f KiB", v/(1<<10))
		}
		return fmt.Sprintf("%.0f B", v)
	}
	return fmt.Sprintf("%g %s", v, unit)
}

func ratioText(r float64) string {
	switch {
	case r >= 10:
		return fmt.Sprintf("%.1f", r)
	case r >= 0.1:
		return fmt.Sprintf("%.2f", r)
	}
	return fmt.Sprintf("%.3f", r)
}

func trim(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// cpuModel returns the model name of the first CPU in /proc/cpuinfo.
func cpuModel() string {
	data, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown CPU"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown CPU"
}
