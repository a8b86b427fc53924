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
	diffOK      = 0 // no change that -fail-on names (or no -fail-on)
	diffFailed  = 1 // a change that -fail-on names
	diffTrouble = 2 // bad usage, or a schema set that does not load
)

var diffCmd = &command{
	name:     "diff",
	synopsis: "[-json] [-fail-on breaking|any] [-roots request.xsd,response.xsd] OLD_DIR NEW_DIR",
	summary:  "compare two schema sets and mark the changes that break clients",
	detail: `Compares two schema sets (request root, then response root) by operator,
operation, element and attribute path, occurrence, type and enumeration, and
marks the changes that break clients (request) or readers (response). Flags
may come before, between or after the two directories.
Exit status: 0 when nothing -fail-on names changed, 1 when it did, 2 on
usage or schema errors.`,
	interleaved: true,
	flags:       diffFlags,
}

// runDiff runs pleskgen diff and returns its exit code.
func runDiff(args []string, stdout, stderr io.Writer) int {
	return runCommand(diffCmd, args, &env{stdout: stdout, stderr: stderr})
}

// diffFlags defines the flags of pleskgen diff.
func diffFlags(fs *flag.FlagSet) func(e *env, dirs []string) error {
	asJSON := fs.Bool("json", false, "write the report as JSON")
	failOn := fs.String("fail-on", "", `exit 1 when there is a "breaking" change, or "any" change`)
	roots := fs.String("roots", strings.Join(gen.DefaultRoots, ","), "root files, comma-separated: request root, then response root")
	return func(e *env, dirs []string) error {
		if len(dirs) != 2 {
			return usagef("want OLD_DIR and NEW_DIR, got %d directories", len(dirs))
		}
		switch *failOn {
		case "", "breaking", "any":
		default:
			return usagef("-fail-on %q: want breaking or any", *failOn)
		}
		rs := splitRoots(*roots)
		old, errOld := gen.Load(dirs[0], rs)
		cur, errNew := gen.Load(dirs[1], rs)
		if err := errors.Join(errOld, errNew); err != nil {
			fmt.Fprintln(e.stderr, err)
			return exitCode(diffTrouble)
		}
		r := &diff.Report{Old: dirs[0], New: dirs[1], Changes: diff.CompareSets(old, cur)}
		var err error
		if *asJSON {
			err = r.WriteJSON(e.stdout)
		} else {
			err = r.WriteText(e.stdout)
		}
		if err != nil {
			fmt.Fprintln(e.stderr, "pleskgen diff:", err)
			return exitCode(diffTrouble)
		}
		switch {
		case *failOn == "breaking" && r.Breaking() > 0:
			fmt.Fprintf(e.stderr, "pleskgen diff: %s\n", plural(r.Breaking(), "breaking change"))
			return exitCode(diffFailed)
		case *failOn == "any" && len(r.Changes) > 0:
			fmt.Fprintf(e.stderr, "pleskgen diff: %s\n", plural(len(r.Changes), "change"))
			return exitCode(diffFailed)
		}
		return nil
	}
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}
