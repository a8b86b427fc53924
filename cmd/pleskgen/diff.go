package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/pleskgo/plesk/gen"
	"github.com/pleskgo/plesk/gen/diff"
)

// Exit codes of pleskgen diff.
const (
	diffOK       = 0 // no change that -fail-on names (or no -fail-on)
	diffFailed   = 1 // a change that -fail-on names
	diffTrouble  = 2 // bad usage, or a schema set that does not load
	diffUsageMsg = `usage: pleskgen diff [-json] [-fail-on breaking|any] [-roots request.xsd,response.xsd] OLD_DIR NEW_DIR

Compares two schema sets (request root, then response root) by operator,
operation, element and attribute path, occurrence, type and enumeration, and
marks the changes that break clients (request) or readers (response).
Exit status: 0 when nothing -fail-on names changed, 1 when it did, 2 on
usage or schema errors.

Flags:
`
)

// runDiff runs pleskgen diff and returns its exit code.
func runDiff(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("pleskgen diff", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, diffUsageMsg)
		fs.PrintDefaults()
	}
	asJSON := fs.Bool("json", false, "write the report as JSON")
	failOn := fs.String("fail-on", "", `exit 1 when there is a "breaking" change, or "any" change`)
	roots := fs.String("roots", strings.Join(gen.DefaultRoots, ","), "root files, comma-separated: request root, then response root")
	// Flags may come before, between or after the two directories.
	var dirs []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return diffOK
			}
			return diffTrouble
		}
		args = fs.Args()
		if len(args) == 0 {
			break
		}
		dirs = append(dirs, args[0])
		args = args[1:]
	}
	if len(dirs) != 2 {
		fs.Usage()
		fmt.Fprintf(stderr, "pleskgen diff: want OLD_DIR and NEW_DIR, got %d directories\n", len(dirs))
		return diffTrouble
	}
	switch *failOn {
	case "", "breaking", "any":
	default:
		fmt.Fprintf(stderr, "pleskgen diff: -fail-on %q: want breaking or any\n", *failOn)
		return diffTrouble
	}
	rs := splitRoots(*roots)
	old, errOld := gen.Load(dirs[0], rs)
	cur, errNew := gen.Load(dirs[1], rs)
	if err := errors.Join(errOld, errNew); err != nil {
		fmt.Fprintln(stderr, err)
		return diffTrouble
	}
	r := &diff.Report{Old: dirs[0], New: dirs[1], Changes: diff.CompareSets(old, cur)}
	var err error
	if *asJSON {
		err = r.WriteJSON(stdout)
	} else {
		err = r.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "pleskgen diff:", err)
		return diffTrouble
	}
	switch {
	case *failOn == "breaking" && r.Breaking() > 0:
		fmt.Fprintf(stderr, "pleskgen diff: %s\n", plural(r.Breaking(), "breaking change"))
		return diffFailed
	case *failOn == "any" && len(r.Changes) > 0:
		fmt.Fprintf(stderr, "pleskgen diff: %s\n", plural(len(r.Changes), "change"))
		return diffFailed
	}
	return diffOK
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
