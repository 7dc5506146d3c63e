package probe

import (
	"bytes"
	"context"
	"crypto/md5"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeS3 answers the requests of the proof as MinIO does, with a stall on
// the reads of chosen objects (MinIO waiting on a stopped peer) and
// chosen objects read back altered.
type fakeS3 struct {
	mu      sync.Mutex
	objects map[string][]byte
	stall   map[string]time.Duration
	alter   map[string]bool
}

func (f *fakeS3) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/minio/health/cluster" {
		return
	}
	key := strings.TrimPrefix(r.URL.Path, "/"+bucket+"/")
	switch r.Method {
	case http.MethodPut:
		data, _ := io.ReadAll(r.Body)
		if strings.HasPrefix(r.Header.Get("X-Amz-Content-Sha256"), "STREAMING-") {
			data = unchunk(data)
		}
		f.mu.Lock()
		f.objects[key] = data
		f.mu.Unlock()
		w.Header().Set("ETag", fmt.Sprintf(`"%x"`, md5.Sum(data)))
	case http.MethodGet:
		f.mu.Lock()
		data, ok := f.objects[key]
		stall, alter := f.stall[key], f.alter[key]
		f.mu.Unlock()
		time.Sleep(stall)
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>`)
			return
		}
		if alter {
			data = bytes.ToUpper(append([]byte(nil), data...))
		}
		w.Header().Set("ETag", fmt.Sprintf(`"%x"`, md5.Sum(data)))
		w.Header().Set("Last-Modified", time.Now().UTC().Format(http.TimeFormat))
		w.Header().Set("Content-Length", fmt.Sprint(len(data)))
		_, _ = w.Write(data)
	}
}

// unchunk decodes an aws-chunked body (the MinIO client signs each chunk
// of a write over plain HTTP): "size;chunk-signature=…\r\n" data "\r\n",
// up to a chunk of size 0.
func unchunk(body []byte) []byte {
	var out []byte
	for {
		line, rest, ok := bytes.Cut(body, []byte("\r\n"))
		if !ok {
			return out
		}
		sizeHex, _, _ := bytes.Cut(line, []byte(";"))
		var n int
		if _, err := fmt.Sscanf(string(sizeHex), "%x", &n); err != nil || n == 0 || n > len(rest) {
			return out
		}
		out = append(out, rest[:n]...)
		body = bytes.TrimPrefix(rest[n:], []byte("\r\n"))
	}
}

// prober is a Prober on a fake S3 holding three objects written before
// the loss.
func prober(t *testing.T, f *fakeS3) *Prober {
	t.Helper()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	p := &Prober{
		t:       Target{Namespace: "minio", StatefulSet: "minio", Replicas: 4, Drives: 1, User: "u", Password: "secret123"},
		opts:    Options{Objects: 3},
		fwd:     &forward{fixed: srv.Listener.Addr().String()},
		health:  &http.Client{Timeout: RequestTimeout},
		written: map[string][32]byte{},
	}
	for i := range 3 {
		if _, err := p.put(context.Background(), fmt.Sprintf("before/%03d", i)); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

// The reads of earlier objects, which MinIO holds while it waits on a
// stopped peer, run beside the rounds instead of holding each round up,
// and the slowest of them is still reported.
func TestDegradedReadsBesideTheRounds(t *testing.T) {
	const stall = 2 * time.Second
	f := &fakeS3{objects: map[string][]byte{}, stall: map[string]time.Duration{}}
	p := prober(t, f)
	for k := range f.objects {
		f.stall[k] = stall
	}
	start := time.Now()
	out, err := p.degraded(context.Background(), "with node w2 stopped", degradedRounds, func(context.Context) bool { return true })
	took := time.Since(start)
	if err != nil || out.Failed {
		t.Fatalf("degraded = %+v, %v; want a pass", out, err)
	}
	// In line, three rounds would take 3 x (stall + 1 s pause) = 9 s.
	if took > degradedRounds*time.Second+stall+time.Second {
		t.Errorf("took %s: the rounds waited for their reads", took)
	}
	if !strings.Contains(out.Detail, "slowest request 2.") {
		t.Errorf("detail %q does not report the %s reads", out.Detail, stall)
	}
	if len(f.objects) != 3+degradedRounds {
		t.Errorf("%d objects stored, want %d: a write in every round", len(f.objects), 3+degradedRounds)
	}
}

// A read that comes back altered fails the check even when it is not the
// last to finish, and of two bad reads the earlier round's is reported.
func TestDegradedReportsTheFirstBadRead(t *testing.T) {
	f := &fakeS3{objects: map[string][]byte{}, stall: map[string]time.Duration{}, alter: map[string]bool{}}
	p := prober(t, f)
	f.stall["before/000"] = 1500 * time.Millisecond // finishes after round 1's read
	f.alter["before/000"] = true
	f.alter["before/001"] = true
	out, err := p.degraded(context.Background(), "with node w2 stopped", degradedRounds, func(context.Context) bool { return true })
	if err != nil {
		t.Fatal(err)
	}
	if !out.Failed || !strings.Contains(out.Message, "reading before/000") || !strings.Contains(out.Message, "SHA-256") {
		t.Errorf("outcome %+v; want a failure reading before/000 (round 0) with its SHA-256 mismatch", out)
	}
}
