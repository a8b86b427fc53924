package main

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pleskgo/plesk/internal/modtest"
	"github.com/rogpeppe/go-internal/testscript"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){"pleskgen": main})
}

// TestScripts runs testdata/script/*.txtar: a downstream module's use of
// pleskgen, with the go command, offline. Each script starts in a fresh
// $WORK with:
//
//	$REPO         this repository (for replace directives and go.sum)
//	$SCHEMAS      $REPO/schemas
//	GOPROXY=off   nothing is downloaded: modules come from the module cache,
//	              which modtest.Prepare filled with this module's requirements
//	GOSUMDB=off   no checksum database: the scripts copy $REPO/go.sum
//	GOFLAGS=-mod=mod, and the GOCACHE and GOMODCACHE of the go command
//
// and the commands pleskgen (this command, in-process), snapshot, cpdir and
// replace (see scriptCmds).
func TestScripts(t *testing.T) {
	if testing.Short() {
		t.Skip("skipping the go command scripts in -short mode")
	}
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	repo, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	// The scripts run offline: every module this one requires must be in
	// the module cache first, including those only go mod tidy reads.
	modtest.Prepare(t)
	goEnv := map[string]string{}
	out, err := exec.Command(goBin, "env", "GOCACHE", "GOMODCACHE", "GOROOT").Output()
	if err != nil {
		t.Fatalf("go env: %v", err)
	}
	vals := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i, k := range []string{"GOCACHE", "GOMODCACHE", "GOROOT"} {
		if i < len(vals) {
			goEnv[k] = vals[i]
		}
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		Setup: func(e *testscript.Env) error {
			e.Setenv("REPO", repo)
			e.Setenv("SCHEMAS", filepath.Join(repo, "schemas"))
			e.Setenv("GOPATH", filepath.Join(e.WorkDir, ".gopath"))
			e.Setenv("GOCACHE", goEnv["GOCACHE"])
			e.Setenv("GOMODCACHE", goEnv["GOMODCACHE"])
			e.Setenv("GOROOT", goEnv["GOROOT"])
			for _, kv := range modtest.Offline {
				k, v, _ := strings.Cut(kv, "=")
				e.Setenv(k, v)
			}
			e.Setenv("CGO_ENABLED", "0")
			return nil
		},
		Cmds: scriptCmds,
	})
}

// scriptCmds are the script commands beyond testscript's own.
var scriptCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	// snapshot DIR FILE writes to FILE one line per regular file under DIR:
	// its path, the SHA-256 of its content and its modification time, so
	// that cmp of two snapshots shows any file written in between.
	"snapshot": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: snapshot DIR FILE")
		}
		root := ts.MkAbs(args[0])
		var lines []string
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			lines = append(lines, fmt.Sprintf("%s %x %d", filepath.ToSlash(rel), sha256.Sum256(b), info.ModTime().UnixNano()))
			return nil
		})
		ts.Check(err)
		sort.Strings(lines)
		ts.Check(os.WriteFile(ts.MkAbs(args[1]), []byte(strings.Join(lines, "\n")+"\n"), 0o666))
	},
	// cpdir SRC DST copies the regular files of directory SRC (not its
	// subdirectories) into DST, creating it.
	"cpdir": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 2 {
			ts.Fatalf("usage: cpdir SRC DST")
		}
		src, dst := ts.MkAbs(args[0]), ts.MkAbs(args[1])
		ts.Check(os.MkdirAll(dst, 0o777))
		entries, err := os.ReadDir(src)
		ts.Check(err)
		for _, e := range entries {
			if !e.Type().IsRegular() {
				continue
			}
			b, err := os.ReadFile(filepath.Join(src, e.Name()))
			ts.Check(err)
			ts.Check(os.WriteFile(filepath.Join(dst, e.Name()), b, 0o666))
		}
	},
	// replace FILE OLD NEW replaces the one occurrence of OLD in FILE by
	// NEW; OLD must occur exactly once. In OLD and NEW, \n is a newline.
	"replace": func(ts *testscript.TestScript, neg bool, args []string) {
		if neg || len(args) != 3 {
			ts.Fatalf("usage: replace FILE OLD NEW")
		}
		name := ts.MkAbs(args[0])
		b, err := os.ReadFile(name)
		ts.Check(err)
		nl := strings.NewReplacer(`\n`, "\n")
		old, repl := []byte(nl.Replace(args[1])), []byte(nl.Replace(args[2]))
		if n := bytes.Count(b, old); n != 1 {
			ts.Fatalf("%s has %d occurrences of %q, want 1", args[0], n, old)
		}
		ts.Check(os.WriteFile(name, bytes.Replace(b, old, repl, 1), 0o666))
	},
}
