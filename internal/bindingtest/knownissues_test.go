package bindingtest

import (
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
)

// knownIssue is a bug of the generator or the runtime that these tests
// found and that is reported to its owner. A case whose only failures are
// known issues is skipped with the issue's summary instead of failing, so
// that the rest of the suite stays useful; a case that no longer fails is
// not affected. The log of each test tells how often each issue occurred.
type knownIssue struct {
	id      string
	summary string
	repro   string
	hits    atomic.Int64
}

func (k *knownIssue) String() string {
	return fmt.Sprintf("known issue %s: %s (reproduction: %s)", k.id, k.summary, k.repro)
}

// issueEmptiableChoice: gen/golang/emit.go (the choice check of
// Validate) decides between "exactly one" and "at most one" by the
// choice's minOccurs alone. A required choice whose branches may be
// empty, like clientSelectionFilterType and domainFilterType (each
// branch an element minOccurs="0" maxOccurs="unbounded"), is satisfied
// by no element at all: <filter/> is schema-valid (Plesk reads it as
// "all objects"), but Validate rejects it, so the typed API cannot send it.
var issueEmptiableChoice = &knownIssue{
	id:      "validate-emptiable-choice",
	summary: "Validate demands exactly one branch of a required choice whose branches may all be empty (<filter/>), which the schema allows",
	repro: "plesk1691.New(inv).Webspace.Get(ctx, &plesk1691.WebspaceGet{}) fails with " +
		"\"filter: exactly one of id, owner-id, … must be set, found 0\" although " +
		"<packet><webspace><get><filter/><dataset/></get></webspace></packet> validates against schemas/1.6.9.1",
}

// problems collects the failures of one case, each either unexplained or
// due to a known issue.
type problems struct {
	t       *testing.T
	errs    []string
	known   []*knownIssue
	reasons []string
}

func (p *problems) errorf(format string, args ...any) {
	p.errs = append(p.errs, fmt.Sprintf(format, args...))
}

// knownf records a failure explained by k.
func (p *problems) knownf(k *knownIssue, format string, args ...any) {
	p.known = append(p.known, k)
	p.reasons = append(p.reasons, fmt.Sprintf(format, args...))
}

// report fails the case on unexplained failures (listing the known ones
// too), or skips it when all its failures are known issues.
func (p *problems) report() {
	p.t.Helper()
	for i, k := range p.known {
		p.errs = append(p.errs, fmt.Sprintf("[%s] %s", k.id, p.reasons[i]))
	}
	switch {
	case len(p.errs) > len(p.known):
		for _, e := range p.errs {
			p.t.Error(e)
		}
	case len(p.known) > 0:
		seen := map[*knownIssue]bool{}
		var why []string
		for _, k := range p.known {
			if !seen[k] {
				seen[k] = true
				k.hits.Add(1)
				why = append(why, k.String())
			}
		}
		p.t.Skipf("%s\n%s", strings.Join(p.errs, "\n"), strings.Join(why, "\n"))
	}
}

// logKnownIssues writes how often each known issue occurred.
func logKnownIssues(t *testing.T, issues ...*knownIssue) {
	for _, k := range issues {
		if n := k.hits.Load(); n > 0 {
			t.Logf("%d cases skipped for %s", n, k)
		}
	}
}
