package probe

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"

	"github.com/labcheck/labcheck/internal/deploy"
)

// Bounds of the proof. Requests to a member that just died can hang
// rather than fail, so a single request may take up to RequestTimeout; an
// operation (with the client's retries) up to OpTimeout.
const (
	RequestTimeout = 30 * time.Second
	OpTimeout      = 60 * time.Second
	// HealthGrace is how long /minio/health/cluster may take to answer 200
	// again while a member is down: peers notice a dead member only when
	// their requests to it fail or time out.
	HealthGrace    = 30 * time.Second
	bucket         = "labcheck-verify"
	objectSize     = 256 << 10
	degradedRounds = 3
)

// Options tune the proof.
type Options struct {
	Objects      int           // written before a member is killed
	ReadyTimeout time.Duration // bound on recovery
	Log          io.Writer     // progress
}

// Outcome is one check of the proof. Failed outcomes carry the message a
// student reads; Detail says what was proven either way.
type Outcome struct {
	Failed  bool
	Message string
	Detail  string
	Field   string // the StatefulSet's field to fix, when the cause is known ("" : the object)
}

func pass(format string, args ...any) Outcome { return Outcome{Detail: fmt.Sprintf(format, args...)} }
func fail(format string, args ...any) Outcome {
	m := fmt.Sprintf(format, args...)
	return Outcome{Failed: true, Message: m, Detail: m}
}

// Prober runs the proof against one StatefulSet.
type Prober struct {
	t      Target
	cfg    *rest.Config
	kube   kubernetes.Interface
	opts   Options
	fwd    *forward // the proof's requests go through it (to member via)
	via    string
	spent  []*forward // forwards replaced by another (closed with the prober)
	health *http.Client
	// mu guards the client, its address and the objects written: the
	// reads of a degraded round run beside the next rounds.
	mu      sync.Mutex
	client  *minio.Client
	addr    string
	written map[string][32]byte // object -> sha256
	order   []string
	victim  victim
	refused *Outcome          // MinIO's maintenance check already said no (nothing was deleted since)
	fixed   map[string]string // tests: member -> address, in place of port-forwards
}

// victim is the member killed, and the claims that must survive it.
type victim struct {
	pod     string
	claims  map[string]string // claim name -> claim UID before the kill
	deleted time.Time
}

// New connects to the StatefulSet's first pod (never the one it kills)
// through a port-forward.
func New(ctx context.Context, cfg *rest.Config, kube kubernetes.Interface, t Target, opts Options) (*Prober, error) {
	if opts.Objects < 1 {
		opts.Objects = 1
	}
	p := &Prober{t: t, cfg: cfg, kube: kube, opts: opts, written: map[string][32]byte{}}
	p.fwd, p.via = newForward(cfg, kube, t.Namespace, t.StatefulSet+"-0", t.Port), t.StatefulSet+"-0"
	p.health = &http.Client{Timeout: RequestTimeout}
	if _, _, err := p.connect(ctx); err != nil {
		p.Close()
		return nil, err
	}
	return p, nil
}

// connect returns a MinIO client on the live port-forward and its
// address, re-creating both when the forward had to be restarted.
func (p *Prober) connect(ctx context.Context) (*minio.Client, string, error) {
	p.mu.Lock()
	f := p.fwd
	p.mu.Unlock()
	addr, err := f.addr(ctx)
	if err != nil {
		return nil, "", err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if addr == p.addr && p.client != nil {
		return p.client, addr, nil
	}
	tr := &http.Transport{
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		ResponseHeaderTimeout: RequestTimeout,
		IdleConnTimeout:       30 * time.Second,
		MaxIdleConnsPerHost:   4,
	}
	c, err := minio.New(addr, &minio.Options{
		Creds:     credentials.NewStaticV4(p.t.User, p.t.Password, ""),
		Transport: tr,
		Region:    "us-east-1",
	})
	if err != nil {
		return nil, "", fmt.Errorf("MinIO client: %w", err)
	}
	c.SetAppInfo("labcheck-verify", "1")
	p.client, p.addr = c, addr
	return c, addr, nil
}

// Close stops the port-forwards.
func (p *Prober) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.fwd.close()
	for _, f := range p.spent {
		f.close()
	}
}

// through is the member the proof's requests go to.
func (p *Prober) through() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.via
}

// goVia makes the proof's requests go through f, a forward to member.
func (p *Prober) goVia(member string, f *forward) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.spent = append(p.spent, p.fwd)
	p.fwd, p.via = f, member
	p.client, p.addr = nil, ""
}

func (p *Prober) logf(format string, args ...any) {
	if p.opts.Log != nil {
		fmt.Fprintf(p.opts.Log, "        "+format+"\n", args...)
	}
}

// healthAt GETs a health endpoint of the member the proof's requests go
// through.
func (p *Prober) healthAt(ctx context.Context, path string) (int, error) {
	_, addr, err := p.connect(ctx)
	if err != nil {
		return 0, err
	}
	return p.healthOn(ctx, addr, path)
}

// healthOn GETs a health endpoint at addr and returns its status code.
func (p *Prober) healthOn(ctx context.Context, addr, path string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+path, nil)
	if err != nil {
		return 0, err
	}
	resp, err := p.health.Do(req)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	return resp.StatusCode, nil
}

// WaitHealthy waits, at most within, until MinIO reports write quorum.
func (p *Prober) WaitHealthy(ctx context.Context, within time.Duration) error {
	return p.waitHealthy(ctx, within)
}

// waitHealthy polls /minio/health/cluster until it answers 200.
func (p *Prober) waitHealthy(ctx context.Context, within time.Duration) error {
	return waitFor(ctx, p.healthAt, "/minio/health/cluster", within)
}

// maintenanceCheck is MinIO's answer to "may the member asked be taken
// down?": 200 when the cluster keeps write quorum without its drives.
const maintenanceCheck = "/minio/health/cluster?maintenance=true"

// healthOf GETs member's health endpoints: through the proof's forward
// when the requests go to member, else through a new forward f (to be
// closed).
func (p *Prober) healthOf(member string) (get func(context.Context, string) (int, error), f *forward) {
	p.mu.Lock()
	via := p.via
	p.mu.Unlock()
	if member == via {
		return p.healthAt, nil
	}
	f = p.forwardTo(member)
	return func(ctx context.Context, path string) (int, error) {
		addr, err := f.addr(ctx)
		if err != nil {
			return 0, err
		}
		return p.healthOn(ctx, addr, path)
	}, f
}

// forwardTo is a port-forward to member's S3 port.
func (p *Prober) forwardTo(member string) *forward {
	if addr, ok := p.fixed[member]; ok {
		return &forward{fixed: addr}
	}
	return newForward(p.cfg, p.kube, p.t.Namespace, member, p.t.Port)
}

// first is the member the proof starts through, never the one deleted
// nor the one whose node is stopped.
func (p *Prober) first() string { return p.t.StatefulSet + "-0" }

// waitFor polls a health endpoint, through get, until it answers 200.
func waitFor(ctx context.Context, get func(context.Context, string) (int, error), path string, within time.Duration) error {
	deadline := time.Now().Add(within)
	for {
		code, err := get(ctx, path)
		if err == nil && code == http.StatusOK {
			return nil
		}
		if err == nil {
			err = fmt.Errorf("%s answered %d %s", path, code, http.StatusText(code))
		}
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		if time.Now().After(deadline) {
			return err
		}
		select {
		case <-time.After(2 * time.Second):
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// op runs one S3 operation with its own bound.
func (p *Prober) op(ctx context.Context, f func(context.Context, *minio.Client) error) (time.Duration, error) {
	start := time.Now()
	c, _, err := p.connect(ctx)
	if err != nil {
		return time.Since(start), err
	}
	octx, cancel := context.WithTimeout(ctx, OpTimeout)
	defer cancel()
	err = f(octx, c)
	if err != nil && octx.Err() != nil && ctx.Err() == nil {
		err = fmt.Errorf("no answer within %s: %w", OpTimeout, err)
	}
	return time.Since(start), err
}

func (p *Prober) put(ctx context.Context, name string) (time.Duration, error) {
	data := make([]byte, objectSize)
	_, _ = rand.Read(data)
	sum := sha256.Sum256(data)
	d, err := p.op(ctx, func(ctx context.Context, c *minio.Client) error {
		_, err := c.PutObject(ctx, bucket, name, bytes.NewReader(data), int64(len(data)), minio.PutObjectOptions{ContentType: "application/octet-stream"})
		return err
	})
	if err == nil {
		p.mu.Lock()
		p.written[name] = sum
		p.order = append(p.order, name)
		p.mu.Unlock()
	}
	return d, err
}

func (p *Prober) get(ctx context.Context, name string) (time.Duration, error) {
	p.mu.Lock()
	want := p.written[name]
	p.mu.Unlock()
	return p.op(ctx, func(ctx context.Context, c *minio.Client) error {
		obj, err := c.GetObject(ctx, bucket, name, minio.GetObjectOptions{})
		if err != nil {
			return err
		}
		defer obj.Close()
		h := sha256.New()
		n, err := io.Copy(h, obj)
		if err != nil {
			return err
		}
		if got := [32]byte(h.Sum(nil)); got != want {
			return fmt.Errorf("read back %d bytes whose SHA-256 %x differs from the %x written", n, got[:6], want[:6])
		}
		return nil
	})
}

// WriteRead proves the healthy cluster works: write quorum reported, a
// bucket made, Objects objects written and read back intact.
func (p *Prober) WriteRead(ctx context.Context) (Outcome, error) {
	if err := p.waitHealthy(ctx, 2*time.Minute); err != nil {
		if ctx.Err() != nil {
			return Outcome{}, err
		}
		return fail("%s: MinIO does not report write quorum (%v)", p.where(), err), nil
	}
	if _, err := p.op(ctx, func(ctx context.Context, c *minio.Client) error {
		ok, err := c.BucketExists(ctx, bucket)
		if err != nil || ok {
			return err
		}
		return c.MakeBucket(ctx, bucket, minio.MakeBucketOptions{})
	}); err != nil {
		return p.opFailure(ctx, "creating bucket "+bucket, err)
	}
	var slowest time.Duration
	for i := range p.opts.Objects {
		name := fmt.Sprintf("before/%03d", i)
		d, err := p.put(ctx, name)
		if err != nil {
			return p.opFailure(ctx, "writing "+name, err)
		}
		slowest = max(slowest, d)
	}
	for _, name := range p.order {
		d, err := p.get(ctx, name)
		if err != nil {
			return p.opFailure(ctx, "reading "+name, err)
		}
		slowest = max(slowest, d)
	}
	return pass("/minio/health/cluster 200; %d objects of %d KiB written and read back with matching SHA-256 (slowest request %s)", p.opts.Objects, objectSize>>10, slowest.Round(time.Millisecond)), nil
}

func (p *Prober) where() string {
	return fmt.Sprintf("StatefulSet %s/%s", p.t.Namespace, p.t.StatefulSet)
}

// opFailure is a failed S3 operation: the student's problem unless the
// run itself was cancelled.
func (p *Prober) opFailure(ctx context.Context, what string, err error) (Outcome, error) {
	if ctx.Err() != nil {
		return Outcome{}, context.Cause(ctx)
	}
	return fail("%s: %s in s3://%s failed: %v", p.where(), what, bucket, err), nil
}

// SurvivePodLoss deletes member (the last one when member is "") and,
// while it is gone, keeps checking that the cluster reports write quorum,
// takes new objects and serves old ones, each within the bounds. The
// port-forwarded member is never the one deleted.
func (p *Prober) SurvivePodLoss(ctx context.Context, member string) (Outcome, error) {
	if p.t.Replicas < 2 {
		return fail("%s has %d replica: there is no member to lose", p.where(), p.t.Replicas), nil
	}
	v := member
	if v == "" {
		v = fmt.Sprintf("%s-%d", p.t.StatefulSet, p.t.Replicas-1)
	}
	if v == p.first() {
		return Outcome{}, fmt.Errorf("pod %s/%s carries the proof's port-forward: it cannot be the member deleted", p.t.Namespace, v)
	}
	if out, ok, err := p.Spare(ctx, v); !ok {
		return out, err
	}
	claims, err := p.claimsOf(ctx, v)
	if err != nil {
		return Outcome{}, err
	}
	p.victim = victim{pod: v, claims: claims, deleted: time.Now()}
	p.logf("deleting pod %s/%s", p.t.Namespace, v)
	if err := p.kube.CoreV1().Pods(p.t.Namespace).Delete(ctx, v, metav1.DeleteOptions{}); err != nil {
		return Outcome{}, fmt.Errorf("delete pod %s/%s: %w", p.t.Namespace, v, err)
	}
	return p.degraded(ctx, "with pod "+v+" deleted", 20, func(ctx context.Context) bool {
		pod, err := p.kube.CoreV1().Pods(p.t.Namespace).Get(ctx, v, metav1.GetOptions{})
		return err != nil || !deploy.PodReady(pod)
	})
}

// Spare checks, before member is taken away, that MinIO itself says the
// cluster keeps write quorum without it: its maintenance check, asked of
// member, the one the check is about. ok is false with the failure (or
// err). When the StatefulSet's shape cannot keep write quorum without a
// member (too few drives), MinIO's "no" is final: two sources agree, and
// the cluster has already answered as a whole (the check runs after
// DYN-013's objects were written), so the "no" is taken once it has
// repeated for 6 s (four answers), with the arithmetic as the cause; and
// once MinIO said no, later checks get the same answer at once (nothing
// was deleted meanwhile).
func (p *Prober) Spare(ctx context.Context, member string) (Outcome, bool, error) {
	return p.spare(ctx, member, []string{member})
}

// spareWait bounds the wait for MinIO's maintenance check to say yes.
var spareWait = 2 * time.Minute

// SpareNode checks, before the node of member is stopped, that MinIO says
// the cluster keeps write quorum without member, and picks the member the
// rounds go through while the node is down. The maintenance check is asked
// of every other member at once, and the first to answer 200 serves the
// rounds: it sees enough of its peers to be taken down itself, so it keeps
// write quorum when member goes, and with 4 members it sees every one of
// them, member included (a loss it will notice). Asked of one member only,
// the check could hold the step for up to 30 s after the pod-loss step's
// member came back on a new pod address: one connection links each pair
// of members, dialled by one side of the pair, and a member dials its
// peers through a DNS cache that MinIO refreshes every 30 s in
// Kubernetes. A member whose link the restarted one dials sees it at once;
// one that dials it itself, only after its next refresh.
func (p *Prober) SpareNode(ctx context.Context, member string) (Outcome, bool, error) {
	var others []string
	for i := range p.t.Replicas {
		if m := fmt.Sprintf("%s-%d", p.t.StatefulSet, i); m != member {
			others = append(others, m)
		}
	}
	return p.spare(ctx, member, others)
}

// spare asks MinIO's maintenance check of each of askOf at once, for
// member to be taken away, and makes the proof's requests go through the
// first to answer 200.
func (p *Prober) spare(ctx context.Context, member string, askOf []string) (Outcome, bool, error) {
	if p.refused != nil {
		return *p.refused, false, nil
	}
	within, why := spareWait, ""
	if ok, because := p.t.CanLoseMember(); !ok {
		within, why = 6*time.Second, "\n  why: "+because
	}
	start := time.Now()
	by, err := p.firstSpare(ctx, member, askOf, within)
	if ctx.Err() != nil {
		return Outcome{}, false, context.Cause(ctx)
	}
	if err != nil {
		out := fail("%s: MinIO says it cannot lose member %s and keep write quorum (%v)%s", p.where(), member, err, why)
		if why != "" {
			out.Field = "spec.replicas"
		}
		p.refused = &out
		return out, false, nil
	}
	if d := time.Since(start); len(askOf) > 1 || d >= time.Second {
		p.logf("MinIO's maintenance check spared %s after %s: %s answered 200 first (asked of %s); the proof's requests go through %s", member, d.Round(100*time.Millisecond), by, strings.Join(askOf, ", "), p.through())
	}
	return Outcome{}, true, nil
}

// firstSpare polls the maintenance check of each of askOf at once and
// returns the first member to answer 200; the proof's requests go through
// it from then on, unless it is member (the one to be taken away).
func (p *Prober) firstSpare(ctx context.Context, member string, askOf []string, within time.Duration) (string, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type answer struct {
		member string
		f      *forward
		err    error
	}
	answers := make(chan answer, len(askOf))
	for _, m := range askOf {
		get, f := p.healthOf(m)
		go func() { answers <- answer{m, f, waitFor(ctx, get, maintenanceCheck, within)} }()
	}
	by := ""
	errs := map[string]error{}
	for range askOf {
		a := <-answers
		switch {
		case a.err == nil && by == "":
			by = a.member
			cancel()
			if a.f != nil && a.member != member {
				p.goVia(a.member, a.f)
				continue
			}
		case a.err != nil:
			errs[a.member] = a.err
		}
		if a.f != nil {
			a.f.close()
		}
	}
	if by != "" {
		return by, nil
	}
	if len(askOf) == 1 {
		return "", errs[askOf[0]]
	}
	said := make([]string, len(askOf))
	for i, m := range askOf {
		said[i] = m + ": " + errs[m].Error()
	}
	return "", errors.New(strings.Join(said, "; "))
}

// Refusal is MinIO's "cannot lose a member" answer to the maintenance
// check, when it gave one.
func (p *Prober) Refusal() *Outcome { return p.refused }

// Deleted reports whether SurvivePodLoss deleted a member: the
// precondition of Recover.
func (p *Prober) Deleted() bool { return p.victim.pod != "" }

// degraded runs rounds of health, write and read while a member is down.
// It runs at least degradedRounds and, while down says the member is still
// down, up to maxRounds (and two minutes). Each round's read of an object
// written before the loss runs beside the rounds that follow: with a
// node stopped, MinIO holds a read of such an object for its internode
// timeout (10 s) in every round, as it waits on the gone peer, and the
// rounds are to show the cluster serving meanwhile, not to queue behind
// those reads. Every read must still come back intact before the check
// passes, and the first that does not (in round order) is the one
// reported.
func (p *Prober) degraded(ctx context.Context, situation string, maxRounds int, down func(context.Context) bool) (Outcome, error) {
	start := time.Now()
	var slowest, unhealthy time.Duration
	roundsDown := 0
	type read struct {
		name string
		took time.Duration
		err  error
	}
	var reads []*read
	var wg sync.WaitGroup
	rctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel() // a failed round does not wait for the reads still out
		wg.Wait()
	}()
	for round := 0; round < degradedRounds || (round < maxRounds && time.Since(start) < 2*time.Minute && down(ctx)); round++ {
		wasDown := down(ctx)
		t0 := time.Now()
		if err := p.waitHealthy(ctx, HealthGrace); err != nil {
			if ctx.Err() != nil {
				return Outcome{}, context.Cause(ctx)
			}
			return fail("%s %s: no write quorum for %s: %v", p.where(), situation, HealthGrace, err), nil
		}
		unhealthy = max(unhealthy, time.Since(t0))
		name := fmt.Sprintf("during/%s-%02d", strings.ReplaceAll(situation, " ", "-"), round)
		d, err := p.put(ctx, name)
		if err != nil {
			return p.opFailure(ctx, situation+": writing "+name, err)
		}
		slowest = max(slowest, d)
		r := &read{name: p.order[round%p.opts.Objects]}
		reads = append(reads, r)
		wg.Go(func() { r.took, r.err = p.get(rctx, r.name) })
		if wasDown {
			roundsDown++
		}
		time.Sleep(time.Second)
	}
	wg.Wait()
	for _, r := range reads {
		if r.err != nil {
			return p.opFailure(ctx, situation+": reading "+r.name, r.err)
		}
		slowest = max(slowest, r.took)
	}
	return pass("%s: %d rounds over %s (%d while it was down) of /minio/health/cluster 200 (within %s), a write, and a read of an earlier object beside the next rounds (slowest request %s)",
		situation, max(degradedRounds, roundsDown), time.Since(start).Round(time.Second), roundsDown, unhealthy.Round(time.Millisecond), slowest.Round(time.Millisecond)), nil
}

// Recover waits for the StatefulSet to be whole again, then reads every
// object back and checks the killed member came back on its own claims.
func (p *Prober) Recover(ctx context.Context, ready func(context.Context) (bool, error)) (Outcome, error) {
	if !p.Deleted() {
		// Nothing was taken away, so nothing can be shown to come back.
		return fail("not awarded: no member was deleted, so none could come back on its data"), nil
	}
	start := time.Now()
	deadline := start.Add(p.opts.ReadyTimeout)
	for {
		ok, err := ready(ctx)
		if err != nil && ctx.Err() != nil {
			return Outcome{}, context.Cause(ctx)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			return fail("%s: not all %d pods Ready again %s after %s was deleted", p.where(), p.t.Replicas, p.opts.ReadyTimeout, p.victim.pod), nil
		}
		time.Sleep(2 * time.Second)
	}
	back := time.Since(p.victim.deleted)
	if err := p.waitHealthy(ctx, 2*time.Minute); err != nil {
		if ctx.Err() != nil {
			return Outcome{}, err
		}
		return fail("%s: pods Ready again but MinIO does not report write quorum: %v", p.where(), err), nil
	}
	for _, name := range p.order {
		if _, err := p.get(ctx, name); err != nil {
			return p.opFailure(ctx, "after recovery, reading "+name, err)
		}
	}
	now, err := p.claimsOf(ctx, p.victim.pod)
	if err != nil {
		return Outcome{}, err
	}
	var lost []string
	for name, uid := range p.victim.claims {
		if now[name] != uid {
			lost = append(lost, name)
		}
	}
	slices.Sort(lost)
	if len(p.victim.claims) == 0 {
		return fail("%s: pod %s has no PersistentVolumeClaim: its data did not survive the pod (use volumeClaimTemplates)", p.where(), p.victim.pod), nil
	}
	if len(lost) > 0 {
		return fail("%s: pod %s came back on new claims %s: the data written before it was deleted is gone from that member", p.where(), p.victim.pod, strings.Join(lost, ", ")), nil
	}
	return pass("%s Ready again %s after its deletion, on the same claims (%s); all %d objects, %d written before the deletion, read back intact",
		p.victim.pod, back.Round(time.Second), strings.Join(sortedKeys(p.victim.claims), ", "), len(p.order), p.opts.Objects), nil
}

// claimsOf returns a pod's PersistentVolumeClaims and their UIDs.
func (p *Prober) claimsOf(ctx context.Context, pod string) (map[string]string, error) {
	deadline := time.Now().Add(30 * time.Second)
	for {
		po, err := p.kube.CoreV1().Pods(p.t.Namespace).Get(ctx, pod, metav1.GetOptions{})
		if err == nil {
			out := map[string]string{}
			for _, v := range po.Spec.Volumes {
				if v.PersistentVolumeClaim == nil {
					continue
				}
				c, err := p.kube.CoreV1().PersistentVolumeClaims(p.t.Namespace).Get(ctx, v.PersistentVolumeClaim.ClaimName, metav1.GetOptions{})
				if err != nil {
					return nil, fmt.Errorf("claim %s of pod %s: %w", v.PersistentVolumeClaim.ClaimName, pod, err)
				}
				out[c.Name] = string(c.UID)
			}
			return out, nil
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return nil, fmt.Errorf("pod %s/%s: %w", p.t.Namespace, pod, errors.Join(err, ctx.Err()))
		}
		time.Sleep(time.Second)
	}
}

// SurviveNodeLoss stops the node of one member (chosen so that it hosts no
// other member and not the port-forwarded pod, and never a control-plane
// node) and checks the cluster keeps working. stop stops a node by name.
// The node of the member the pod-loss step deleted goes first: every other
// member then runs as it did before, and the first of them to see it again
// serves the rounds (see SpareNode). It is skipped (Outcome with Detail,
// not Failed) when no node qualifies.
func (p *Prober) SurviveNodeLoss(ctx context.Context, stop func(context.Context, string) error) (Outcome, bool, error) {
	stoppable, why, err := p.Stoppable(ctx)
	if err != nil {
		return Outcome{}, false, err
	}
	if len(stoppable) == 0 {
		return pass("%s", why), false, nil
	}
	node := p.Rejoined(stoppable)
	if node == "" {
		node = sortedKeys(stoppable)[0]
	}
	if out, ok, err := p.SpareNode(ctx, stoppable[node]); !ok {
		return out, true, err
	}
	p.logf("stopping node %s (hosts %s)", node, stoppable[node])
	if err := stop(ctx, node); err != nil {
		return Outcome{}, false, err
	}
	out, err := p.WhileStopped(ctx, node, stoppable[node])
	return out, true, err
}

// Rejoined is the node, of those offered (node -> member), whose member is
// the one the pod-loss step deleted and that came back; "" when none is.
func (p *Prober) Rejoined(offer map[string]string) string {
	for _, n := range sortedKeys(offer) {
		if p.victim.pod != "" && offer[n] == p.victim.pod {
			return n
		}
	}
	return ""
}

// Stoppable are the nodes whose loss the proof may take: worker nodes that
// host exactly one member, not the port-forwarded one (node -> that
// member). When there is none, why says where the members are.
func (p *Prober) Stoppable(ctx context.Context) (map[string]string, string, error) {
	pods, err := p.kube.CoreV1().Pods(p.t.Namespace).List(ctx, metav1.ListOptions{})
	if err != nil {
		return nil, "", fmt.Errorf("list pods: %w", err)
	}
	perNode := map[string][]string{}
	for _, po := range pods.Items {
		if strings.HasPrefix(po.Name, p.t.StatefulSet+"-") && po.Spec.NodeName != "" {
			perNode[po.Spec.NodeName] = append(perNode[po.Spec.NodeName], po.Name)
		}
	}
	planes, err := controlPlanes(ctx, p.kube)
	if err != nil {
		return nil, "", err
	}
	first := p.t.StatefulSet + "-0"
	out := map[string]string{}
	for _, n := range stoppable(perNode, first, planes) {
		out[n] = perNode[n][0]
	}
	if len(out) > 0 {
		return out, "", nil
	}
	var where []string
	for _, n := range sortedKeys(perNode) {
		role := ""
		if planes[n] {
			role = " (control plane)"
		}
		where = append(where, n+role+": "+strings.Join(perNode[n], ", "))
	}
	return nil, fmt.Sprintf("no worker node hosts exactly one member other than %s (%s)", first, strings.Join(where, "; ")), nil
}

// WhileStopped runs the rounds of health, write and read once node, which
// hosts member, has been stopped. The node does not come back while the
// rounds run, so they are the minimum: the first ones after the stop are
// the hard ones, more only repeat them. (Reads of earlier objects wait up
// to 10 s on the gone peer in every round; they run beside the rounds.)
func (p *Prober) WhileStopped(ctx context.Context, node, member string) (Outcome, error) {
	return p.degraded(ctx, "with node "+node+" (hosting "+member+") stopped", degradedRounds, func(context.Context) bool { return true })
}

// controlPlaneLabel marks the nodes that run the API server (kubeadm, and
// so kind, set it). A stopped control plane takes the API server, and with
// it the port-forward and every later step, down with it: in a cluster
// whose control plane also runs pods (a --kind-config that removes its
// taint), it must not be the node the proof stops.
const controlPlaneLabel = "node-role.kubernetes.io/control-plane"

// controlPlanes are the names of the cluster's control-plane nodes.
func controlPlanes(ctx context.Context, kube kubernetes.Interface) (map[string]bool, error) {
	nodes, err := kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: controlPlaneLabel})
	if err != nil {
		return nil, fmt.Errorf("list control-plane nodes: %w", err)
	}
	out := make(map[string]bool, len(nodes.Items))
	for _, n := range nodes.Items {
		out[n.Name] = true
	}
	return out, nil
}

// stoppable are the nodes, by name, that host exactly one member, not
// first (the port-forwarded pod), and are no control plane.
func stoppable(perNode map[string][]string, first string, planes map[string]bool) []string {
	var out []string
	for _, n := range sortedKeys(perNode) {
		if len(perNode[n]) == 1 && perNode[n][0] != first && !planes[n] {
			out = append(out, n)
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
