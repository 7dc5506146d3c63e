package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/labcheck/labcheck/internal/dynamic"
)

// runVerify is `labcheck verify`: the static phase in-process, then the
// dynamic phase in labcheck-verify (a separate executable, so that the
// static path never links kind, Docker or Helm's SDK), whose result the
// one grading function (settings.Report) grades with the static findings.
func runVerify(ctx context.Context, e env, args []string) int {
	var f checkFlags
	opts := dynamic.Defaults()
	fs := newFlags("labcheck verify", e)
	f.register(fs)
	opts.Register(fs)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "labcheck verify runs the static phase, then boots a throw-away kind cluster, builds and deploys the submission and proves MinIO highly available.\n\nUsage:\n  labcheck verify [flags] [PATH]\n  labcheck verify --cleanup\n\nFlags:\n%s", fs.FlagUsages())
	}
	if code, stop := parseFlags(e, fs, args); stop {
		return code
	}
	bin, err := verifyExecutable(e)
	if err != nil {
		return errorf(e, "%v", err)
	}
	if opts.Cleanup {
		_, code := runChild(ctx, e, bin, opts.Args())
		return code
	}
	if fs.NArg() > 1 {
		return errorf(e, "verify takes one PATH, not %d", fs.NArg())
	}
	path := "."
	if fs.NArg() == 1 {
		path = fs.Arg(0)
	}
	run, err := newRun(ctx, f, []string{path})
	if err != nil {
		return errorf(e, "%v", err)
	}
	checked, err := run.settings.Check(ctx, []string{path})
	if err != nil {
		return errorf(e, "%v", err)
	}
	childArgs := append(opts.Args(), "--watch-stdin")
	if !checked.Scope.Whole {
		for _, l := range checked.Scope.Labs {
			childArgs = append(childArgs, "--lab", string(l))
		}
	}
	out, code := runChild(ctx, e, bin, append(childArgs, "--", path))
	if code == 130 {
		return code
	}
	dyn, err := dynamic.Decode(bytes.NewReader(out))
	if code != ExitOK && err != nil {
		return errorf(e, "the dynamic phase did not complete (%s exited %d); the static findings alone are not a verify result", dynamic.Executable, code)
	}
	if err != nil {
		return errorf(e, "%v", err)
	}
	rep, err := run.settings.Report(checked, dyn)
	if err != nil {
		return errorf(e, "%v", err)
	}
	if err := run.write(e, rep); err != nil {
		return errorf(e, "%v", err)
	}
	summary := e.stderr
	if f.format == "text" && !f.quiet {
		summary = e.stdout
	}
	writeDynamicSummary(summary, dyn)
	if code != ExitOK {
		// The phase stopped (its error is above): the report holds what
		// it did, and the checks it never reached earn nothing.
		return errorf(e, "the dynamic phase did not complete (%s exited %d); the report holds the steps it ran", dynamic.Executable, code)
	}
	return run.exitCode(rep)
}

// verifyExecutable finds labcheck-verify: $LABCHECK_VERIFY, else beside
// this executable, else on PATH.
func verifyExecutable(e env) (string, error) {
	name := dynamic.Executable
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	if p := e.getenv("LABCHECK_VERIFY"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("LABCHECK_VERIFY=%s: %w", p, err)
		}
		return p, nil
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	if p, err := exec.LookPath(name); err == nil {
		return p, nil
	}
	return "", fmt.Errorf("verify needs %s, the dynamic phase's executable, beside labcheck or on PATH; install it with\n  go install github.com/labcheck/labcheck/cmd/labcheck-verify@%s\n(from a checkout: go install ./cmd/labcheck-verify)", name, Version)
}

// childEnv is the part of the environment labcheck-verify needs to reach
// Docker and write temporary files. Nothing else of the host (proxies,
// credentials, tokens, KUBECONFIG) is passed on: kind would copy proxy
// settings into the cluster's nodes.
func childEnv() []string {
	keep := []string{"PATH", "HOME", "USER", "TMPDIR", "TMP", "TEMP", "LANG", "TERM", "NO_COLOR", "SystemRoot", "USERPROFILE", "APPDATA", "LOCALAPPDATA"}
	prefixes := []string{"DOCKER_", "KIND_", "XDG_", "TESTCONTAINERS_", "LC_"}
	var out []string
	for _, kv := range os.Environ() {
		k, _, _ := strings.Cut(kv, "=")
		if keepVar(k, keep, prefixes) {
			out = append(out, kv)
		}
	}
	return out
}

func keepVar(k string, keep, prefixes []string) bool {
	for _, x := range keep {
		if k == x {
			return true
		}
	}
	for _, p := range prefixes {
		if strings.HasPrefix(k, p) {
			return true
		}
	}
	return false
}

// runChild runs labcheck-verify with its stderr (progress) passed through
// and returns its stdout. A signal to labcheck closes the child's stdin,
// which it watches: it cleans up and exits, and labcheck waits for that.
func runChild(ctx context.Context, e env, bin string, args []string) ([]byte, int) {
	cmd := exec.Command(bin, args...)
	cmd.Env = childEnv()
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, e.stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, errorf(e, "%v", err)
	}
	if err := cmd.Start(); err != nil {
		return nil, errorf(e, "start %s: %v", bin, err)
	}
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	interrupted := false
	ctxDone := ctx.Done()
	for {
		select {
		case <-sigs:
			interrupted = true
			stdin.Close()
		case <-ctxDone:
			ctxDone = nil // closed: select on it once
			stdin.Close()
		case err := <-done:
			stdin.Close()
			var ee *exec.ExitError
			switch {
			case interrupted:
				fmt.Fprintln(e.stderr, "labcheck: verify interrupted")
				return nil, 130
			case errors.As(err, &ee):
				return out.Bytes(), ee.ExitCode()
			case err != nil:
				return nil, errorf(e, "%s: %v", bin, err)
			}
			return out.Bytes(), ExitOK
		}
	}
}

// writeDynamicSummary states where the dynamic phase ran and how each step
// went, with its time.
func writeDynamicSummary(w io.Writer, d *dynamic.Result) {
	env := d.Environment
	fmt.Fprintf(w, "\nDynamic phase (%.1fs): ", d.Seconds)
	nodes := fmt.Sprintf("%d nodes", env.Nodes)
	if env.Nodes == 1 {
		nodes = "1 node"
	}
	switch env.Provider {
	case "kind":
		fmt.Fprintf(w, "kind cluster %s (kind %s, node image %s, Kubernetes %s, %s), ", env.Cluster, env.Kind, env.NodeImage, orUnknown(env.Kubernetes), nodes)
	case "kubeconfig":
		fmt.Fprintf(w, "existing cluster of %s (Kubernetes %s, %s), ", env.Cluster, orUnknown(env.Kubernetes), nodes)
	}
	fmt.Fprintf(w, "Docker %s\n", orUnknown(env.Docker))
	if env.Kept {
		fmt.Fprintf(w, "The cluster was kept: kubectl --kubeconfig %s …; remove it with labcheck verify --cleanup\n", env.Kubeconfig)
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, s := range d.Steps {
		detail := s.Detail
		if i := strings.IndexByte(detail, '\n'); i >= 0 {
			detail = detail[:i] + " …"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%6.1fs\t%s\n", strings.ToUpper(string(s.Status)), orDash(s.Rule), s.Title, s.Seconds, detail)
	}
	tw.Flush()
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
