package suggest

import (
	"math/rand/v2"
	"strings"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"minOcurs", "minOccurs", 1}, // deletion
		{"strng", "string", 1},       // insertion
		{"reed", "read", 1},          // substitution
		{"tpye", "type", 1},          // transposition
		{"wirte", "write", 1},        // transposition
		{"ab", "ba", 1},              // transposition
		{"kitten", "sitting", 3},     // the textbook case
		{"ca", "abc", 3},             // optimal string alignment: no edit of an edited pair
		{"Type", "type", 1},          // Distance itself minds case
		{strings.Repeat("a", maxLen+1), "a", maxLen + 1}, // too long: no table
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.b, tt.a, got, tt.want)
		}
	}
}

func TestClosest(t *testing.T) {
	for _, tt := range []struct {
		name       string
		candidates []string
		want       string
	}{
		{"minOcurs", []string{"maxOccurs", "minOccurs", "name"}, "minOccurs"},
		{"ownerType", []string{"OwnerType", "owner"}, "OwnerType"},          // case only: likeliest
		{"filtertype", []string{"filterTypes", "filterType"}, "filterType"}, // case beats an edit
		{"reed", []string{"read", "write"}, "read"},
		{"ids", []string{"id", "name"}, "id"},
		{"customer/ad", []string{"customer/add", "customer/del"}, "customer/add"},
		{"sequence", []string{"sequence"}, ""},             // the name itself is no suggestion
		{"xy", []string{"id", "ab"}, ""},                   // two edits of two letters: too far
		{"abcdefghijklmnop", []string{"abcdefghijkl"}, ""}, // four edits: past the cap of three
		{"abcdefghijklmno", []string{"abcdefghijkl"}, "abcdefghijkl"},
		{"name", nil, ""},
		{"bat", []string{"cat", "bar", "hat"}, "bar"}, // a tie goes to the first in sort order
		{"bat", []string{"hat", "cat", "bar"}, "bar"},
	} {
		if got := Closest(tt.name, tt.candidates); got != tt.want {
			t.Errorf("Closest(%q, %q) = %q, want %q", tt.name, tt.candidates, got, tt.want)
		}
	}
}

// randName draws a short name from a small alphabet, so that random pairs
// are often near each other.
func randName(r *rand.Rand) string {
	const letters = "abcAB-"
	b := make([]byte, r.IntN(9))
	for i := range b {
		b[i] = letters[r.IntN(len(letters))]
	}
	return string(b)
}

// TestDistanceProperties checks what any edit distance must satisfy, on
// random names: zero exactly on equal strings, symmetry, bounds by the
// lengths, one edit away from a single change.
func TestDistanceProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		a, b := randName(r), randName(r)
		d := Distance(a, b)
		if (d == 0) != (a == b) {
			t.Fatalf("Distance(%q, %q) = %d", a, b, d)
		}
		if d2 := Distance(b, a); d2 != d {
			t.Fatalf("Distance(%q, %q) = %d but Distance(%q, %q) = %d", a, b, d, b, a, d2)
		}
		if lo, hi := max(len(a), len(b))-min(len(a), len(b)), max(len(a), len(b)); d < lo || d > hi {
			t.Fatalf("Distance(%q, %q) = %d, outside [%d, %d]", a, b, d, lo, hi)
		}
		if len(a) > 0 {
			i := r.IntN(len(a))
			if got := Distance(a, a[:i]+a[i+1:]); got != 1 {
				t.Fatalf("Distance(%q, %q) = %d after one deletion", a, a[:i]+a[i+1:], got)
			}
		}
	}
}

// TestClosestProperties: on random names, Closest answers one of the
// candidates other than the name and "", within its limit, with no candidate
// strictly nearer, whatever the order of the candidates.
func TestClosestProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		name := randName(r)
		cands := make([]string, r.IntN(6))
		for i := range cands {
			cands[i] = randName(r)
		}
		got := Closest(name, cands)
		shuffled := append([]string(nil), cands...)
		r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
		if again := Closest(name, shuffled); again != got {
			t.Fatalf("Closest(%q) depends on order: %q then %q", name, got, again)
		}
		dist := func(c string) int { return Distance(strings.ToLower(name), strings.ToLower(c)) }
		limit := min(max(len(name)/3, 1), 3)
		if got == "" {
			for _, c := range cands {
				if c != name && c != "" && dist(c) <= limit {
					t.Fatalf("Closest(%q, %q) = \"\" but %q is %d away", name, cands, c, dist(c))
				}
			}
			continue
		}
		if got == name || dist(got) > limit {
			t.Fatalf("Closest(%q, %q) = %q, %d away", name, cands, got, dist(got))
		}
		for _, c := range cands {
			if c != name && c != "" && dist(c) < dist(got) {
				t.Fatalf("Closest(%q, %q) = %q but %q is nearer", name, cands, got, c)
			}
		}
	}
}
