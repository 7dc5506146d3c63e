package cli

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/labcheck/labcheck/internal/check"
	"github.com/labcheck/labcheck/internal/settings"
)

// BenchmarkStaticInProcess measures the static phase on the full-marks
// submission with the policies already compiled: discover, parse,
// evaluate and grade, as `labcheck grade` pays per submission.
func BenchmarkStaticInProcess(b *testing.B) {
	root := repoRoot(b)
	eng, err := settings.Engine()
	if err != nil {
		b.Fatal(err)
	}
	target := filepath.Join(root, "fixtures/passing/labs")
	for b.Loop() {
		if _, err := check.Run(context.Background(), eng, []string{target}, check.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunInProcess is one whole CLI run (check, grade, JSON report)
// in-process, after the first run compiled the policies.
func BenchmarkRunInProcess(b *testing.B) {
	root := repoRoot(b)
	b.Chdir(root)
	for b.Loop() {
		if code := Run(context.Background(), []string{"--format", "json", "fixtures/passing/labs"}, nil, io.Discard, io.Discard); code != ExitOK {
			b.Fatalf("exit %d", code)
		}
	}
}

// BenchmarkColdProcess runs the built binary on the full-marks submission,
// a fresh process each time: process start, package initialisation,
// policy compilation and the check. It reports the median wall time and
// the peak resident memory of the runs.
func BenchmarkColdProcess(b *testing.B) {
	root := repoRoot(b)
	bin := filepath.Join(b.TempDir(), "labcheck")
	build := exec.Command("go", "build", "-trimpath", "-o", bin, "./cmd/labcheck")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		b.Fatalf("build: %v\n%s", err, out)
	}
	var walls []time.Duration
	var peakKiB int64
	for b.Loop() {
		cmd := exec.Command(bin, "--format", "json", "fixtures/passing/labs")
		cmd.Dir = root
		cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			b.Fatalf("run: %v", err)
		}
		walls = append(walls, time.Since(start))
		if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
			peakKiB = max(peakKiB, ru.Maxrss)
		}
	}
	slices.Sort(walls)
	b.ReportMetric(float64(walls[len(walls)/2].Microseconds())/1000, "median-ms")
	b.ReportMetric(float64(peakKiB)/1024, "peak-MiB")
}
