package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/pflag"
	"golang.org/x/term"
)

// Version is labcheck's version, set at build time with
// -ldflags "-X github.com/labcheck/labcheck/internal/cli.Version=…".
var Version = "v0.1.0"

// Exit codes.
const (
	ExitOK       = 0 // nothing at or above --fail-on
	ExitFindings = 1 // findings at or above --fail-on
	ExitError    = 2 // labcheck could not do its job
)

// env is what a command may touch of the outside world.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

type command struct {
	summary string
	run     func(ctx context.Context, e env, args []string) int
}

// commands are the subcommands; anything else is a path to check.
var commands map[string]command

func init() {
	commands = map[string]command{
		"rules":   {"list the rule catalog", runRules},
		"verify":  {"static phase, then boot kind, deploy and prove MinIO highly available", runVerify},
		"grade":   {"grade many submissions into a gradebook (CSV, JSON)", runGrade},
		"init":    {"write .labcheck.yaml, a GitHub workflow and a pre-commit entry", runInit},
		"test":    {"run the Rego tests of custom policies (like opa test)", runTest},
		"explain": {"explain a rule: why, examples, how to fix", runExplain},
		"version": {"print labcheck's version", runVersion},
		"help":    {"show this help", runHelp},
	}
}

// Run runs labcheck with args (without the program name) and returns the
// exit code.
func Run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv}
	if len(args) > 0 {
		if c, ok := commands[args[0]]; ok {
			return c.run(ctx, e, args[1:])
		}
	}
	return runCheck(ctx, e, args)
}

func runVersion(_ context.Context, e env, _ []string) int {
	fmt.Fprintf(e.stdout, "labcheck %s\n", Version)
	return ExitOK
}

func runHelp(_ context.Context, e env, _ []string) int {
	fmt.Fprint(e.stdout, usage())
	return ExitOK
}

func usage() string {
	var b strings.Builder
	b.WriteString("labcheck grades and lints container-orchestration lab submissions.\n\n")
	b.WriteString("Usage:\n  labcheck [flags] [PATH ...]      check submissions (PATH defaults to .)\n")
	for _, name := range []string{"verify", "grade", "init", "test", "rules", "explain", "version", "help"} {
		fmt.Fprintf(&b, "  labcheck %-24s%s\n", name, commands[name].summary)
	}
	b.WriteString("\nRun 'labcheck --help' for the check's flags.\n")
	return b.String()
}

// newFlags makes a flag set that reports errors instead of exiting.
func newFlags(name string, e env) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.SortFlags = false
	return fs
}

// parseFlags parses args; it returns an exit code when the command should
// stop (help was asked for, or the flags are wrong).
func parseFlags(e env, fs *pflag.FlagSet, args []string) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return ExitOK, true
		}
		return errorf(e, "%v (see %s --help)", err, fs.Name()), true
	}
	return 0, false
}

// colorWanted reports whether w is a terminal and colour is not disabled.
func colorWanted(e env, w io.Writer, noColor bool) bool {
	if noColor || e.getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func errorf(e env, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "labcheck: "+format+"\n", args...)
	return ExitError
}
