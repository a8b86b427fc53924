// Package sharedtest locates the ../shared reference material (the official
// Plesk schemas, the published element trees and the sample packets) for tests.
//
// A user's clone may not have ../shared: tests that need it skip with a clear
// message. CI sets PLESKGO_REQUIRE_SHARED=1, which turns a missing directory
// into a test failure so that a broken checkout cannot pass silently.
package sharedtest

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"
)

// EnvRequire is the environment variable that makes a missing ../shared fatal.
const EnvRequire = "PLESKGO_REQUIRE_SHARED"

// ModuleRoot returns the directory holding this module's go.mod.
func ModuleRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Dir returns the path of ../shared/<elem...> next to the module root. It
// skips the test when the path is absent, or fails it when EnvRequire is set.
func Dir(tb testing.TB, elem ...string) string {
	tb.Helper()
	p := filepath.Join(append([]string{ModuleRoot(), "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv(EnvRequire) != "" {
			tb.Fatalf("%s is required (%s is set) but missing: %v", p, EnvRequire, err)
		}
		tb.Skipf("skipping: reference material %s is absent (it lives in ../shared beside the checkout)", p)
	}
	return p
}

// Find is Dir for material a test can do without, such as the seeds of a
// fuzz target: it returns the path and true when it exists, and false when
// it does not, unless EnvRequire is set, which makes its absence fatal.
func Find(tb testing.TB, elem ...string) (string, bool) {
	tb.Helper()
	p := filepath.Join(append([]string{ModuleRoot(), "..", "shared"}, elem...)...)
	if _, err := os.Stat(p); err != nil {
		if os.Getenv(EnvRequire) != "" {
			tb.Fatalf("%s is required (%s is set) but missing: %v", p, EnvRequire, err)
		}
		return "", false
	}
	return p, true
}
