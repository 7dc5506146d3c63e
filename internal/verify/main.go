package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/labcheck/labcheck/internal/dynamic"
	"github.com/labcheck/labcheck/internal/finding"
)

// Exit codes of labcheck-verify.
const (
	ExitOK          = 0   // the phase ran; the findings are in the result
	ExitError       = 2   // it could not run (bad flag, no Docker, the cluster failed, timeout)
	ExitInterrupted = 130 // stopped by a signal, after cleaning up
)

var errParentGone = errors.New("labcheck verify went away (its pipe closed)")

// Main is labcheck-verify: flags, signals, and the result as JSON on
// stdout. The first SIGINT or SIGTERM cancels the run, which deletes its
// cluster, containers and images before exiting; a second one exits at
// once (and `labcheck verify --cleanup` removes what is left).
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := pflag.NewFlagSet(dynamic.Executable, pflag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.SortFlags = false
	opts := dynamic.Defaults()
	opts.Register(fs)
	labs := fs.StringSlice("lab", nil, "verify only these labs: docker, kubernetes, helm, istio")
	watch := fs.Bool("watch-stdin", false, "stop and clean up when stdin closes (set by labcheck verify)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s runs labcheck's dynamic phase and prints its result as JSON.\nUsually run by `labcheck verify`.\n\nUsage:\n  %s [flags] PATH\n\nFlags:\n%s", dynamic.Executable, dynamic.Executable, fs.FlagUsages())
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return ExitOK
		}
		fmt.Fprintf(stderr, "%s: %v\n", dynamic.Executable, err)
		return ExitError
	}
	ctx, cancel := context.WithCancelCause(context.Background())
	defer cancel(nil)
	interrupted := handleSignals(cancel, stderr)
	if *watch {
		go func() {
			_, _ = io.Copy(io.Discard, stdin)
			cancel(errParentGone)
		}()
	}
	if opts.Cleanup {
		if err := Cleanup(ctx, stderr); err != nil {
			fmt.Fprintf(stderr, "%s: cleanup: %v\n", dynamic.Executable, err)
			return ExitError
		}
		return ExitOK
	}
	if fs.NArg() != 1 {
		fmt.Fprintf(stderr, "%s: want exactly one PATH (see --help)\n", dynamic.Executable)
		return ExitError
	}
	var selected []finding.Lab
	for _, l := range *labs {
		lab, err := finding.ParseLab(l)
		if err != nil {
			fmt.Fprintf(stderr, "%s: --lab: %v\n", dynamic.Executable, err)
			return ExitError
		}
		selected = append(selected, lab)
	}
	tctx, tcancel := context.WithTimeoutCause(ctx, opts.Timeout, fmt.Errorf("the dynamic phase took longer than --timeout %s", opts.Timeout))
	defer tcancel()
	res, err := Run(tctx, Config{Options: opts, Path: fs.Arg(0), Labs: selected, Log: stderr})
	if res != nil {
		if eerr := dynamic.Encode(stdout, res); eerr != nil {
			err = errors.Join(err, eerr)
		}
	}
	switch {
	case interrupted():
		fmt.Fprintf(stderr, "%s: interrupted; everything it created was removed\n", dynamic.Executable)
		return ExitInterrupted
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", dynamic.Executable, err)
		return ExitError
	}
	return ExitOK
}

// handleSignals cancels the run on the first SIGINT/SIGTERM and exits on
// the second. It returns whether a signal arrived.
func handleSignals(cancel context.CancelCauseFunc, stderr io.Writer) func() bool {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	got := make(chan struct{})
	go func() {
		sig := <-sigs
		close(got)
		fmt.Fprintf(stderr, "\n%s: %v: stopping and cleaning up (again to quit at once; `labcheck verify --cleanup` removes leftovers)\n", dynamic.Executable, sig)
		cancel(fmt.Errorf("interrupted by %v", sig))
		<-sigs
		fmt.Fprintf(stderr, "%s: quitting without cleaning up\n", dynamic.Executable)
		os.Exit(ExitInterrupted)
	}()
	return func() bool {
		select {
		case <-got:
			return true
		default:
			return false
		}
	}
}
