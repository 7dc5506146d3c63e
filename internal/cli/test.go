package cli

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/open-policy-agent/opa/v1/tester"

	"github.com/labcheck/labcheck/internal/engine"
)

// runTest runs the _test.rego files beside custom policies, as `opa test`
// does, without needing the opa binary.
func runTest(ctx context.Context, e env, args []string) int {
	fs := newFlags("labcheck test", e)
	verbose := fs.BoolP("verbose", "v", false, "list every test, not only failures")
	fs.Usage = func() {
		fmt.Fprint(e.stderr, "Usage: labcheck test [-v] DIR ...\n\nRuns the Rego tests (test_* rules) of the policies in each DIR.\n\nFlags:\n", fs.FlagUsages())
	}
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	if fs.NArg() == 0 {
		return errorf(e, "test needs a policy folder, e.g. labcheck test policy/")
	}
	var pass, fail int
	for _, dir := range fs.Args() {
		modules, err := engine.ParseCustomModules(os.DirFS(dir))
		if err != nil {
			return errorf(e, "%s: %v", dir, err)
		}
		ch, err := tester.NewRunner().SetModules(modules).RunTests(ctx, nil)
		if err != nil {
			return errorf(e, "%s: %v", dir, err)
		}
		var lines []string
		for r := range ch {
			name := strings.TrimPrefix(r.Package, "data.") + "." + r.Name
			switch {
			case r.Error != nil:
				fail++
				lines = append(lines, fmt.Sprintf("ERROR %s/%s: %v", dir, name, r.Error))
			case r.Fail || r.Skip:
				fail++
				lines = append(lines, fmt.Sprintf("FAIL  %s/%s (%s)", dir, name, r.Location))
			default:
				pass++
				if *verbose {
					lines = append(lines, fmt.Sprintf("PASS  %s/%s", dir, name))
				}
			}
		}
		slices.Sort(lines)
		for _, l := range lines {
			fmt.Fprintln(e.stdout, l)
		}
	}
	fmt.Fprintf(e.stdout, "%d passed, %d failed\n", pass, fail)
	if fail > 0 || pass == 0 {
		return ExitFindings
	}
	return ExitOK
}
