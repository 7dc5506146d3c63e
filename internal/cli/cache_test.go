package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
)

// cacheEntries lists the result cache's entries under an XDG cache home.
func cacheEntries(t *testing.T, home string) []string {
	t.Helper()
	entries, err := filepath.Glob(filepath.Join(home, "labcheck", "results", "*", "*"))
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// run is one CLI run; it returns the exit code and stdout.
func runCLI(t *testing.T, args ...string) (int, []byte) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), args, nil, &out, &errOut)
	if code != ExitOK && code != ExitFindings {
		t.Fatalf("labcheck %v: exit %d\n%s", args, code, errOut.String())
	}
	return code, out.Bytes()
}

// A report answered from the result cache is byte for byte the report of
// an uncached run, in every format, for a submission with findings and
// one without; --no-cache neither reads nor writes the cache.
func TestCachedReportIsTheUncachedOne(t *testing.T) {
	t.Chdir(repoRoot(t))
	for _, fixture := range []string{"fixtures/passing/labs", "fixtures/docker-hygiene", "fixtures/istio-missing-gateway"} {
		for _, format := range []string{"json", "text", "sarif"} {
			t.Run(filepath.Base(filepath.Dir(fixture))+"/"+filepath.Base(fixture)+"/"+format, func(t *testing.T) {
				home := t.TempDir()
				t.Setenv("XDG_CACHE_HOME", home)
				code0, uncached := runCLI(t, "--no-cache", "--no-color", "--format", format, fixture)
				if n := len(cacheEntries(t, home)); n != 0 {
					t.Fatalf("--no-cache wrote %d cache entries", n)
				}
				code1, first := runCLI(t, "--no-color", "--format", format, fixture)
				entries := cacheEntries(t, home)
				if len(entries) == 0 {
					t.Fatal("a run without --no-cache wrote no cache entry")
				}
				code2, cached := runCLI(t, "--no-color", "--format", format, fixture)
				if code0 != code1 || code1 != code2 {
					t.Errorf("exit codes %d (uncached), %d (first), %d (cached)", code0, code1, code2)
				}
				if !bytes.Equal(uncached, first) {
					t.Errorf("first cached run differs from the uncached one:\n%s\n---\n%s", uncached, first)
				}
				if !bytes.Equal(uncached, cached) {
					t.Errorf("report from the cache differs from the uncached one:\n%s\n---\n%s", uncached, cached)
				}
				// The second run read the entries: a planted result shows.
				for _, e := range entries {
					if err := os.WriteFile(e, []byte("not an entry"), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				_, afterCorruption := runCLI(t, "--no-color", "--format", format, fixture)
				if !bytes.Equal(uncached, afterCorruption) {
					t.Errorf("report after the cache was corrupted differs from the uncached one")
				}
			})
		}
	}
}
