package cluster

import (
	"fmt"
	"io"
	"strings"
	"sync"

	kindlog "sigs.k8s.io/kind/pkg/log"
)

// logger passes kind's progress and warnings to w, one "kind:" line each.
type logger struct {
	mu sync.Mutex
	w  io.Writer
}

func newLogger(w io.Writer) kindlog.Logger {
	if w == nil {
		return kindlog.NoopLogger{}
	}
	return &logger{w: w}
}

func (l *logger) line(prefix, msg string) {
	msg = strings.TrimSpace(msg)
	if msg == "" {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "        kind: %s%s\n", prefix, msg)
}

func (l *logger) Warn(m string)                     { l.line("warning: ", m) }
func (l *logger) Warnf(f string, a ...interface{})  { l.Warn(fmt.Sprintf(f, a...)) }
func (l *logger) Error(m string)                    { l.line("error: ", m) }
func (l *logger) Errorf(f string, a ...interface{}) { l.Error(fmt.Sprintf(f, a...)) }
func (l *logger) V(v kindlog.Level) kindlog.InfoLogger {
	if v > 0 {
		return kindlog.NoopInfoLogger{}
	}
	return info{l}
}

type info struct{ l *logger }

func (i info) Info(m string)                    { i.l.line("", m) }
func (i info) Infof(f string, a ...interface{}) { i.Info(fmt.Sprintf(f, a...)) }
func (i info) Enabled() bool                    { return true }
