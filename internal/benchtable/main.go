// Command benchtable runs the project's benchmarks and prints one Markdown
// table of its figures, each as a ratio against its yardstick measured in
// the same run, so that the machine cancels out. It is `make bench`:
//
//	go run ./internal/benchtable [-count 3] [-cold]
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
	coldOnly := flag.Bool("cold", false, "print only the cold-build rows, running no benchmark")
	flag.Parse()
	if *coldOnly {
		packageSize(*goCmd, "./generated/plesk1691")
		fakeCost(*goCmd, *count)
		return
	}

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
	fakeCost(*goCmd, *count)
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

// Downstream test packages of fakeCost: one testing a plesk1691 client with
// the fake, one with plesk1691 alone.
const (
	withFake = `package withfake

import (
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
	"github.com/pleskgo/plesk/rpc/plesktest"
)

func TestClient(t *testing.T) {
	s := plesktest.NewServer()
	defer s.Close()
	c, err := rpc.NewClient(s.URL, rpc.WithLogin(plesktest.AdminLogin, plesktest.DefaultAdminPassword))
	if err != nil {
		t.Fatal(err)
	}
	_ = plesk1691.New(c)
}
`
	alone = `package alone

import (
	"testing"

	"github.com/pleskgo/plesk/generated/plesk1691"
	"github.com/pleskgo/plesk/rpc"
)

func TestClient(t *testing.T) {
	c, err := rpc.NewClient("https://plesk.example.com:8443", rpc.WithSecretKey("key"))
	if err != nil {
		t.Fatal(err)
	}
	_ = plesk1691.New(c)
}
`
)

// fakeCost prints what importing rpc/plesktest adds to a downstream test of
// plesk1691: the cold build (go test -c) of a test package using plesktest
// and plesk1691 beside that of one using plesk1691 alone. Each build starts
// from a build cache holding only the standard library and the rpc runtime
// (built once, copied for each build); the two alternate count times and
// the row shows the medians.
func fakeCost(goCmd string, count int) {
	const goal = 1.3
	root, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
		return
	}
	// Under testdata, which ./... patterns skip: a folder an interrupted
	// run leaves breaks no build.
	base := filepath.Join(root, "internal", "benchtable", "testdata")
	if err := os.MkdirAll(base, 0o755); err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
		return
	}
	tmp, err := os.MkdirTemp(base, "tmp-downstream-")
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
		return
	}
	defer os.Remove(base) // only when empty: another run may be using it
	defer os.RemoveAll(tmp)
	pkgs := map[string]string{"withfake": withFake, "alone": alone}
	for name, src := range pkgs {
		dir := filepath.Join(tmp, name)
		err := os.MkdirAll(dir, 0o755)
		if err == nil {
			err = os.WriteFile(filepath.Join(dir, name+"_test.go"), []byte(src), 0o644)
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
			return
		}
	}
	goRun := func(cache string, args ...string) (time.Duration, []byte, error) {
		cmd := exec.Command(goCmd, args...)
		cmd.Env, cmd.Stderr = append(os.Environ(), "GOCACHE="+cache, "GOFLAGS="), os.Stderr
		start := time.Now()
		out, err := cmd.Output()
		return time.Since(start), out, err
	}
	// The standard library the test packages need and the runtime, built
	// into the base cache every measured build starts from.
	baseCache := filepath.Join(tmp, "cache-base")
	_, out, err := goRun(baseCache, "list", "-test", "-deps", "-f", "{{if .Standard}}{{.ImportPath}}{{end}}", "./"+filepath.ToSlash(mustRel(root, filepath.Join(tmp, "withfake"))))
	if err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: listing the test's dependencies: %v\n", err)
		return
	}
	prebuild := append([]string{"build"}, strings.Fields(string(out))...)
	prebuild = append(prebuild, "github.com/pleskgo/plesk/rpc", "github.com/pleskgo/plesk/rpc/rpcimpl")
	fmt.Fprintf(os.Stderr, "benchtable: building the standard library and the runtime for the cold builds\n")
	if _, _, err := goRun(baseCache, prebuild...); err != nil {
		fmt.Fprintf(os.Stderr, "benchtable: %v\n", err)
		return
	}
	times := map[string][]float64{}
	for round := range count {
		for _, name := range []string{"withfake", "alone"} {
			cache := filepath.Join(tmp, fmt.Sprintf("cache-%s-%d", name, round))
			if err := exec.Command("cp", "-a", baseCache, cache).Run(); err != nil {
				fmt.Fprintf(os.Stderr, "benchtable: copying the build cache: %v\n", err)
				return
			}
			fmt.Fprintf(os.Stderr, "benchtable: (%d/%d) cold go test -c of a test using %s\n", round+1, count, map[string]string{"withfake": "plesktest and plesk1691", "alone": "plesk1691"}[name])
			took, _, err := goRun(cache, "test", "-c", "-o", filepath.Join(tmp, name+".test"), "./"+filepath.ToSlash(mustRel(root, filepath.Join(tmp, name))))
			os.RemoveAll(cache)
			if err != nil {
				fmt.Fprintf(os.Stderr, "benchtable: building %s: %v\n", name, err)
				return
			}
			times[name] = append(times[name], took.Seconds())
		}
	}
	v, _ := median(times["withfake"])
	y, _ := median(times["alone"])
	if y == 0 {
		return
	}
	mark := "✓"
	if v/y > goal {
		mark = "✗"
	}
	fmt.Printf("\n| figure | value | yardstick | ratio | goal |\n|---|---|---|---|---|\n")
	fmt.Printf("| Cold build of a downstream test using plesktest and plesk1691 (go test -c; standard library and runtime cached) | %.1f s | the same test using plesk1691 alone: %.1f s | %s× | ≤ %s× %s |\n",
		v, y, ratioText(v/y), trim(goal), mark)
}

func mustRel(base, target string) string {
	r, err := filepath.Rel(base, target)
	if err != nil {
		return target
	}
	return r
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
