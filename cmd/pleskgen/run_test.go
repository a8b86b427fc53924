package main

import (
	"runtime/debug"
	"testing"
)

func TestModuleVersion(t *testing.T) {
	const mod = "github.com/pleskgo/plesk"
	tests := []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"no build info", nil, "(devel)"},
		{"a working copy", &debug.BuildInfo{Main: debug.Module{Path: mod, Version: "(devel)"}}, "(devel)"},
		{"stamped from git", &debug.BuildInfo{Main: debug.Module{Path: mod, Version: "v0.0.0-20261201112620-1adfb43abcde+dirty"}},
			"v0.0.0-20261201112620-1adfb43abcde+dirty"},
		{"a tool of a downstream module", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app", Version: "(devel)"},
			Deps: []*debug.Module{{Path: "golang.org/x/tools", Version: "v0.26.0"}, {Path: mod, Version: "v0.3.1"}},
		}, "v0.3.1"},
		{"replaced by a directory", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: mod, Version: "v0.3.1", Replace: &debug.Module{Path: "../plesk"}}},
		}, "(devel)"},
		{"replaced by another version", &debug.BuildInfo{
			Main: debug.Module{Path: "example.com/app"},
			Deps: []*debug.Module{{Path: mod, Version: "v0.3.1", Replace: &debug.Module{Path: "example.com/fork", Version: "v0.3.2"}}},
		}, "v0.3.2"},
	}
	for _, tt := range tests {
		if got := moduleVersion(tt.bi); got != tt.want {
			t.Errorf("%s: moduleVersion = %q, want %q", tt.name, got, tt.want)
		}
	}
}
