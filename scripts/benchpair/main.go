// Command benchpair times commands as cold processes, alternating them run
// by run (A B A B …) so that both see the same machine load, and prints for
// each the median wall time, the median CPU time (user + system, children
// included), the peak resident memory, and the median of the per-run
// ratios against the first command. `make bench` runs it through
// scripts/bench-peers.sh; it is not part of labcheck.
//
//	go run ./scripts/benchpair -runs 15 'labcheck=bin/labcheck labs' 'conftest=sh -c "conftest …"'
//
// A command is split on spaces and run directly, or with `sh -c` when it
// holds shell syntax (| & ; > < $ quotes).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strings"
	"syscall"
	"time"
)

type sample struct {
	wall, cpu time.Duration
	rssKiB    int64
}

type command struct {
	name, line string
	samples    []sample
}

func main() {
	runs := flag.Int("runs", 15, "timed runs of each command")
	warmup := flag.Int("warmup", 2, "untimed runs of each command first")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: benchpair [-runs N] [-warmup N] NAME=COMMAND ...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	var cmds []*command
	for _, arg := range flag.Args() {
		name, line, ok := strings.Cut(arg, "=")
		if !ok {
			name, line = arg, arg
		}
		cmds = append(cmds, &command{name: name, line: line})
	}
	for range *warmup {
		for _, c := range cmds {
			if _, err := run(c.line); err != nil {
				fmt.Fprintf(os.Stderr, "benchpair: %s: %v\n", c.name, err)
				os.Exit(1)
			}
		}
	}
	for i := range *runs {
		// Alternate which command goes first, so neither always follows the other.
		order := slices.Clone(cmds)
		if i%2 == 1 {
			slices.Reverse(order)
		}
		for _, c := range order {
			s, err := run(c.line)
			if err != nil {
				fmt.Fprintf(os.Stderr, "benchpair: %s: %v\n", c.name, err)
				os.Exit(1)
			}
			c.samples = append(c.samples, s)
		}
	}
	base := cmds[0]
	for _, c := range cmds {
		wall := median(c.samples, func(s sample) float64 { return ms(s.wall) })
		cpu := median(c.samples, func(s sample) float64 { return ms(s.cpu) })
		var peak int64
		for _, s := range c.samples {
			peak = max(peak, s.rssKiB)
		}
		fmt.Printf("%-24s wall %7.1f ms  cpu %7.1f ms  peak %5.1f MiB", c.name, wall, cpu, float64(peak)/1024)
		if c != base {
			var wr, cr []float64
			for i := range c.samples {
				wr = append(wr, ms(base.samples[i].wall)/ms(c.samples[i].wall))
				cr = append(cr, ms(base.samples[i].cpu)/ms(c.samples[i].cpu))
			}
			fmt.Printf("  %s/%s: wall %.2fx cpu %.2fx", base.name, c.name, mid(wr), mid(cr))
		}
		fmt.Println()
	}
}

// run starts one command and waits for it; a non-zero exit status is
// fine (labcheck exits 1 on findings), failing to start is not.
func run(line string) (sample, error) {
	var cmd *exec.Cmd
	if strings.ContainsAny(line, "|&;<>$'\"") {
		cmd = exec.Command("sh", "-c", line)
	} else {
		f := strings.Fields(line)
		cmd = exec.Command(f[0], f[1:]...)
	}
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if _, exit := err.(*exec.ExitError); err != nil && !exit {
		return sample{}, err
	}
	s := sample{wall: wall}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		s.cpu = time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		s.rssKiB = ru.Maxrss
	}
	return s, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func median(ss []sample, f func(sample) float64) float64 {
	var xs []float64
	for _, s := range ss {
		xs = append(xs, f(s))
	}
	return mid(xs)
}

func mid(xs []float64) float64 {
	slices.Sort(xs)
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}
