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

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/client-go/kubernetes/fake"
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
func prober(t *testing.T, h http.Handler) *Prober {
	t.Helper()
	srv := httptest.NewServer(h)
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

// member is one MinIO member in front of the objects all share: it answers
// the maintenance check with its own view of its peers.
type member struct {
	*fakeS3
	maintenance int // the answer to the maintenance check (0: 200)
	mu          sync.Mutex
	asked       int // maintenance checks answered
	writes      int
}

func (m *member) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	m.mu.Lock()
	defer m.mu.Unlock()
	switch {
	case r.URL.Query().Get("maintenance") == "true":
		m.asked++
		if m.maintenance != 0 {
			w.WriteHeader(m.maintenance)
		}
		return
	case r.Method == http.MethodPut:
		m.writes++
	}
	m.fakeS3.ServeHTTP(w, r)
}

func (m *member) counts() (asked, writes int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.asked, m.writes
}

// The node-loss step stops the node of the member the pod-loss step
// deleted, and asks MinIO's maintenance check of every other member at
// once; the first to say yes serves the rounds. After the deleted member
// came back on a new pod address, a peer that dials it itself still has
// its old address (MinIO's DNS cache, refreshed every 30 s) and says no,
// as minio-0 and minio-3 do here; minio-1, whose link the member dials,
// sees it.
func TestNodeLossAsksEveryOtherMember(t *testing.T) {
	store := &fakeS3{objects: map[string][]byte{}}
	members := map[string]*member{
		"minio-0": {fakeS3: store, maintenance: http.StatusPreconditionFailed},
		"minio-1": {fakeS3: store},
		"minio-2": {fakeS3: store},
		"minio-3": {fakeS3: store, maintenance: http.StatusPreconditionFailed},
	}
	p := prober(t, members["minio-0"])
	p.via = "minio-0"
	p.fixed = map[string]string{}
	for name, m := range members {
		srv := httptest.NewServer(m)
		t.Cleanup(srv.Close)
		p.fixed[name] = srv.Listener.Addr().String()
	}
	objs := []runtime.Object{&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: "lab-control-plane", Labels: map[string]string{controlPlaneLabel: ""}}}}
	for i, node := range []string{"lab-worker", "lab-worker2", "lab-worker3", "lab-worker4"} {
		objs = append(objs,
			&corev1.Node{ObjectMeta: metav1.ObjectMeta{Name: node}},
			&corev1.Pod{ObjectMeta: metav1.ObjectMeta{Name: fmt.Sprintf("minio-%d", i), Namespace: "minio"}, Spec: corev1.PodSpec{NodeName: node}})
	}
	p.kube = fake.NewClientset(objs...)
	p.victim = victim{pod: "minio-2"}
	_, before := members["minio-0"].counts()

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var stopped []string
	out, ran, err := p.SurviveNodeLoss(ctx, func(_ context.Context, node string) error {
		stopped = append(stopped, node)
		return nil
	})
	if err != nil || !ran || out.Failed {
		t.Fatalf("SurviveNodeLoss = %+v, %v, %v; want the rounds run and passed", out, ran, err)
	}
	if strings.Join(stopped, ",") != "lab-worker3" {
		t.Errorf("stopped %v, want lab-worker3, where minio-2 came back", stopped)
	}
	// The others are asked at once, so minio-0's and minio-3's "no" held
	// nothing up (asked in turn, minio-0's "no" would have held the step
	// past the test's 20 s); one of them may not have been asked before
	// minio-1 answered.
	if asked, _ := members["minio-2"].counts(); asked != 0 {
		t.Errorf("minio-2, the one to go, was asked %d times", asked)
	}
	if asked, _ := members["minio-1"].counts(); asked == 0 {
		t.Error("minio-1 was never asked")
	}
	if _, w := members["minio-1"].counts(); w != degradedRounds {
		t.Errorf("minio-1 took %d writes, want the %d rounds': it said yes first", w, degradedRounds)
	}
	if _, w := members["minio-0"].counts(); w != before {
		t.Errorf("minio-0 took %d writes during the rounds; they go through minio-1", w-before)
	}
	p.Close()
}

// With no member sparing it, the node is not stopped and the step fails
// with every member's answer.
func TestNodeLossNotSparedByAny(t *testing.T) {
	defer func(w time.Duration) { spareWait = w }(spareWait)
	spareWait = 3 * time.Second
	store := &fakeS3{objects: map[string][]byte{}}
	no := &member{fakeS3: store, maintenance: http.StatusPreconditionFailed}
	p := prober(t, no)
	p.via = "minio-0"
	p.fixed = map[string]string{}
	for _, name := range []string{"minio-1", "minio-2"} {
		srv := httptest.NewServer(no)
		t.Cleanup(srv.Close)
		p.fixed[name] = srv.Listener.Addr().String()
	}
	out, ok, err := p.SpareNode(context.Background(), "minio-3")
	if err != nil || ok || !out.Failed {
		t.Fatalf("SpareNode = %+v, %v, %v; want a failure", out, ok, err)
	}
	for _, want := range []string{"cannot lose member minio-3", "(minio-0: /minio/health/cluster?maintenance=true answered 412 Precondition Failed; minio-1: ", "; minio-2: "} {
		if !strings.Contains(out.Message, want) {
			t.Errorf("message %q lacks %q", out.Message, want)
		}
	}
	if p.via != "minio-0" {
		t.Errorf("the requests go through %s after no member said yes", p.via)
	}
	p.Close()
}
