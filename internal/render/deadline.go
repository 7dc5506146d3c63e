package render

import (
	"context"
	"errors"
	"fmt"
	"time"
)

var errTimeout = errors.New("render time limit reached")

type rendered struct {
	out map[string]string
	err error
}

// withDeadline runs render in its own goroutine and waits at most d for it.
//
// The trade-off: Go cannot kill a goroutine, and Helm's engine takes no
// context, so a render past its deadline is abandoned, not stopped. It
// keeps its CPU and memory until it ends or the process exits. For the CLI
// the process exits right after the report; under `labcheck grade` an
// abandoned render costs one core until it ends. The other labs and the
// rest of the chart's checks do not wait for it. The channel is buffered
// so that an abandoned render can still deliver its result and exit.
func withDeadline(ctx context.Context, d time.Duration, render func() (map[string]string, error)) (map[string]string, error) {
	done := make(chan rendered, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- rendered{err: fmt.Errorf("the template engine panicked: %v", r)}
			}
		}()
		out, err := render()
		done <- rendered{out, err}
	}()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case r := <-done:
		return r.out, r.err
	case <-t.C:
		return nil, errTimeout
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
