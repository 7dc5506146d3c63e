//go:build e2e

// The end-to-end test of `labcheck verify` in the offline kind environment
// that `make e2e-env` builds (test/e2e/README.md). Run it with
//
//	go test -tags e2e -timeout 60m -v ./internal/verify/
//
// It builds labcheck and labcheck-verify, makes two local images the
// fixtures need offline (a Go toolchain to build Lab 1 from, a curl for the
// chart's test hook: both named labcheck.local/e2e-*, never a public name;
// the submission's images are replaced by them through --load-image, which
// the report states), and checks that nothing is left behind.
package verify_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/labcheck/labcheck/internal/e2eenv"
)

var (
	root    string // the repository
	binDir  string // labcheck and labcheck-verify
	setupMu sync.Mutex
	env     e2eEnv
)

type e2eEnv struct {
	nodeImage, minioImage, network string
}

func TestMain(m *testing.M) {
	root = e2eenv.Root()
	dir, err := os.MkdirTemp("", "labcheck-e2e-bin-")
	if err != nil {
		panic(err)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// setup builds the binaries and readies the images, once.
func setup(t *testing.T) e2eEnv {
	t.Helper()
	setupMu.Lock()
	defer setupMu.Unlock()
	if env.nodeImage != "" {
		return env
	}
	ready := e2eenv.Ready(t)
	e := e2eEnv{nodeImage: ready.NodeImage, minioImage: ready.MinIOImage, network: ready.Network}
	for _, pkg := range []string{"./cmd/labcheck", "./cmd/labcheck-verify"} {
		b := exec.Command("go", "build", "-o", binDir+"/", pkg)
		b.Dir, b.Stdout, b.Stderr = root, os.Stderr, os.Stderr
		must(t, b.Run())
	}
	localImages(t)
	env = e
	return e
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

const (
	goBase = "labcheck.local/e2e-golang:" + "local"
	curl   = "labcheck.local/e2e-curl:1"
)

// localImages makes, through test/e2e/images.sh (what make e2e-env runs),
// the two images the offline fixtures need: a Go toolchain to build Lab 1
// from, and a curl for the chart's test hook.
func localImages(t *testing.T) {
	cmd := exec.Command("bash", "test/e2e/images.sh")
	cmd.Dir, cmd.Stderr = root, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("test/e2e/images.sh: %v", err)
	}
	if f := strings.Fields(string(out)); len(f) != 2 || f[0] != goBase || f[1] != curl {
		t.Fatalf("test/e2e/images.sh made %q, want %s and %s", out, goBase, curl)
	}
}

func run(t *testing.T, dir, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
	return string(out)
}

func sh(t *testing.T, dir, script string) string { return run(t, dir, "bash", "-c", script) }

// offlineDockerfile is Lab 1 rebuilt on local images: the passing
// fixture's Dockerfile pulls golang and alpine and runs apk, none of which
// can happen offline.
const offlineDockerfile = `# Lab 1, offline variant (labcheck's e2e test): the builder is a local
# image with the Go toolchain and no shell, so RUN uses the exec form.
FROM ` + goBase + ` AS build
WORKDIR /src
COPY app/ ./
RUN ["/usr/local/go/bin/go", "build", "-trimpath", "-ldflags=-s -w", "-o", "/out/uploader", "."]

FROM scratch
COPY --from=build /out/uploader /usr/local/bin/uploader
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/uploader"]
CMD ["--listen", ":8080"]
`

// submission copies a fixture's labs folder, with Lab 1 made offline.
func submission(t *testing.T, fixture string) string {
	dir := filepath.Join(t.TempDir(), "sub")
	must(t, os.MkdirAll(dir, 0o755))
	run(t, "", "cp", "-a", filepath.Join(root, "fixtures", fixture, "labs"), dir)
	labs := filepath.Join(dir, "labs")
	if _, err := os.Stat(filepath.Join(labs, "docker", "Dockerfile")); err == nil {
		must(t, os.WriteFile(filepath.Join(labs, "docker", "Dockerfile"), []byte(offlineDockerfile), 0o644))
	}
	return labs
}

// flags are the dynamic phase's flags for this environment. The node
// image's pod network (labcheck-net, test/e2e/README.md) spans nodes; one
// node keeps the failure cases quick.
func (e e2eEnv) flags() []string {
	return []string{"--node-image", e.nodeImage, "--nodes", "0", "--offline",
		"--load-image", e.minioImage + "=quay.io/minio/minio",
		"--load-image", curl + "=curlimages/curl"}
}

// args are `labcheck verify`'s, with a JSON report.
func (e e2eEnv) args(extra ...string) []string {
	return append(append([]string{"verify", "--format", "json", "--no-color"}, e.flags()...), extra...)
}

// command is labcheck with args, in this environment.
func (e e2eEnv) command(args ...string) *exec.Cmd {
	cmd := exec.Command(filepath.Join(binDir, "labcheck"), args...)
	cmd.Env = append(os.Environ(), "KIND_EXPERIMENTAL_DOCKER_NETWORK="+e.network, "LABCHECK_VERIFY="+filepath.Join(binDir, "labcheck-verify"))
	return cmd
}

// labcheck runs labcheck, passing its progress through to the test's
// output, and returns stdout and the exit code.
func labcheck(t *testing.T, e e2eEnv, args ...string) (string, int) {
	t.Helper()
	cmd := e.command(args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, testWriter{t}
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), code
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}

type report struct {
	Score   struct{ Points, Max, Reachable float64 }
	Dynamic *struct {
		Environment struct {
			Cluster, NodeImage, Kubernetes, Kubeconfig string
			Kept                                       bool
		}
		Steps []struct {
			Rule, Status, Title, Detail string
			Seconds                     float64
		}
	}
	Findings []struct {
		Rule, Lab, Severity, Phase, Message, File string
		Line                                      int
	}
}

func parseReport(t *testing.T, out string) report {
	t.Helper()
	var r report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return r
}

// leftovers lists kind node containers of labcheck-xxxxxxxx clusters and
// containers and images of labcheck-verify runs.
func leftovers(t *testing.T) []string {
	t.Helper()
	var left []string
	for _, f := range []string{"label=io.x-k8s.kind.cluster", "label=dev.labcheck.verify"} {
		out := run(t, "", "docker", "ps", "-a", "--filter", f, "--format", "{{.Names}} {{.Label \"io.x-k8s.kind.cluster\"}}")
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if l == "" {
				continue
			}
			fs := strings.Fields(l)
			if len(fs) == 2 && strings.HasPrefix(fs[1], "labcheck-e2e-") {
				continue // test/e2e's smoke test
			}
			left = append(left, "container "+l)
		}
	}
	out := run(t, "", "docker", "images", "--filter", "label=dev.labcheck.verify", "--format", "{{.Repository}}:{{.Tag}}")
	for _, l := range strings.Fields(out) {
		left = append(left, "image "+l)
	}
	return left
}

func assertNothingLeft(t *testing.T) {
	t.Helper()
	if left := leftovers(t); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}

// TestVerifyPassing: the full-marks submission, every lab, offline.
func TestVerifyPassing(t *testing.T) {
	e := setup(t)
	labs := submission(t, "passing")
	start := time.Now()
	// Four workers, labcheck's default: the node-loss checks (DYN-016,
	// DYN-025) need a node that hosts one member only.
	out, code := labcheck(t, e, e.args("--nodes", "4", labs)...)
	t.Logf("labcheck verify took %s", time.Since(start).Round(time.Second))
	r := parseReport(t, out)
	for _, f := range r.Findings {
		if f.Phase == "dynamic" && f.Severity != "info" {
			t.Errorf("dynamic finding %s at %s:%d: %s", f.Rule, f.File, f.Line, f.Message)
		}
	}
	if code != 0 {
		t.Errorf("exit %d, want 0", code)
	}
	if r.Score.Points != r.Score.Max || r.Score.Max != 100 {
		t.Errorf("score %v/%v, want full marks (100)", r.Score.Points, r.Score.Max)
	}
	if r.Dynamic == nil || len(r.Dynamic.Steps) == 0 || r.Dynamic.Environment.Cluster == "" {
		t.Fatalf("the report does not state the cluster and steps: %+v", r.Dynamic)
	}
	// make e2e-env bakes the side-loaded images into the node image from
	// the engine's own tarballs: every node holds them under the same ID,
	// so nothing is imported.
	loads := 0
	for _, s := range r.Dynamic.Steps {
		if strings.HasPrefix(s.Title, "load image ") {
			loads++
			if s.Status != "pass" || !strings.Contains(s.Detail, "nothing to load") {
				t.Errorf("%s: %s %q, want nothing to load (the node image holds it; one built before NODE_RECIPE 6 does not: rebuild it with make e2e-env)", s.Title, s.Status, s.Detail)
			}
		}
	}
	if loads != 2 {
		t.Errorf("%d load image steps, want 2 (MinIO and curl)", loads)
	}
	// Labs 2 and 3 ran side by side: one stopped node served both
	// node-loss steps.
	st := r.steps()
	if n16, n25 := stoppedNode(st["DYN-016"].Detail), stoppedNode(st["DYN-025"].Detail); n16 == "" || n16 != n25 {
		t.Errorf("DYN-016 stopped %q, DYN-025 %q: want one node for both", n16, n25)
	}
	var info []string
	for _, f := range r.Findings {
		if f.Phase == "dynamic" {
			info = append(info, f.Rule+": "+f.Message)
		}
	}
	t.Logf("score %v/%v; dynamic notes:\n  %s", r.Score.Points, r.Score.Max, strings.Join(info, "\n  "))
	assertNothingLeft(t)
}

// stoppedNode is the node a node-loss step's detail says it stopped.
func stoppedNode(detail string) string {
	_, rest, ok := strings.Cut(detail, "with node ")
	if !ok {
		return ""
	}
	node, _, _ := strings.Cut(rest, " ")
	return node
}

// TestVerifyChartWaitsForRoom: a chart whose pods, beside Lab 2's, would
// not fit the nodes (4 x 1.5 CPU on top of Lab 2's 4 x 250m, on workers of
// 2 CPU each; its quota raised to match, for the six replicas of its ci
// values too) is installed only after Labs 2 and 4 ended and Lab 2 was
// removed, as one lab after the other; full marks still, each lab
// stopping a node of its own.
func TestVerifyChartWaitsForRoom(t *testing.T) {
	e := setup(t)
	labs := submission(t, "passing")
	values := filepath.Join(labs, "helm", "minio", "values.yaml")
	data, err := os.ReadFile(values)
	must(t, err)
	big := strings.NewReplacer("cpu: 250m", "cpu: 1500m", "cpu: 500m", `cpu: "2"`, `requests.cpu: "2"`, `requests.cpu: "10"`, `limits.cpu: "4"`, `limits.cpu: "13"`).Replace(string(data))
	must(t, os.WriteFile(values, []byte(big), 0o644))
	cmd := e.command(e.args("--nodes", "4", labs)...)
	var stderr strings.Builder
	cmd.Stderr = io.MultiWriter(&stderr, testWriter{t})
	start := time.Now()
	outb, _ := cmd.Output()
	t.Logf("labcheck verify took %s", time.Since(start).Round(time.Second))
	r := parseReport(t, string(outb))
	if !strings.Contains(stderr.String(), "the chart waits for the kubernetes lab to end: together they request") {
		t.Errorf("the chart did not wait for room:\n%s", stderr.String())
	}
	if r.Score.Points != r.Score.Max || r.Score.Max != 100 {
		t.Errorf("score %v/%v, want full marks (100)", r.Score.Points, r.Score.Max)
	}
	st := r.steps()
	if st["DYN-016"].Status != "pass" || st["DYN-025"].Status != "pass" {
		t.Errorf("DYN-016 %s, DYN-025 %s", st["DYN-016"].Status, st["DYN-025"].Status)
	}
	assertNothingLeft(t)
}

// quorumReadiness makes the readiness probe ask for write quorum, the
// setting under which OrderedReady deadlocks: this MinIO's
// /minio/health/ready answers 200 before its peers are up, so with it
// OrderedReady only slows the rollout down (the static K8S-009 flags it).
func quorumReadiness(labs string) error {
	p := filepath.Join(labs, "kubernetes", "05-statefulset.yaml")
	data, err := os.ReadFile(p)
	if err != nil {
		return err
	}
	return os.WriteFile(p, []byte(strings.Replace(string(data), "path: /minio/health/ready", "path: /minio/health/cluster", 1)), 0o644)
}

// TestVerifyBrokenVariants: what does not become ready is explained, and
// given up on within about a minute when the spec itself is the trap.
func TestVerifyBrokenVariants(t *testing.T) {
	e := setup(t)
	for _, tc := range []struct {
		fixture string
		edit    func(labs string) error
		wants   []string
	}{
		{"k8s-orderedready", quorumReadiness, []string{"0 of 4 pods Ready", "pod minio-1: not created", "why: podManagementPolicy is OrderedReady", "events (oldest first)", "logs of minio-0/minio"}},
		{"k8s-ellipsis-mismatch", nil, []string{"3 of 4 pods Ready", "pod minio-3", "why: the server list {0...2} names 3 servers but the StatefulSet runs 4 pods", "logs of minio-3/minio"}},
	} {
		t.Run(tc.fixture, func(t *testing.T) {
			labs := submission(t, tc.fixture)
			if tc.edit != nil {
				must(t, tc.edit(labs))
			}
			out, code := labcheck(t, e, e.args("--lab", "kubernetes", "--ready-timeout", "2m", labs)...)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			r := parseReport(t, out)
			var msg string
			for _, f := range r.Findings {
				if f.Rule == "DYN-012" {
					msg = f.Message
					t.Logf("%s:%d: %s", f.File, f.Line, f.Message)
				}
			}
			for _, w := range tc.wants {
				if !strings.Contains(msg, w) {
					t.Errorf("DYN-012 lacks %q", w)
				}
			}
			// The spec itself keeps the StatefulSet from being ready:
			// labcheck stops waiting well before --ready-timeout.
			if s := r.steps()["DYN-012"]; s.Seconds > 75 {
				t.Errorf("DYN-012 waited %.0fs for a rollout its spec makes impossible", s.Seconds)
			}
			assertNothingLeft(t)
		})
	}
}

// waitFor reads r until a line contains want (passing lines to the log).
func waitFor(t *testing.T, r *bufio.Reader, want string, within time.Duration) {
	t.Helper()
	found := make(chan struct{})
	go func() {
		for {
			l, err := r.ReadString('\n')
			if l != "" {
				t.Log(strings.TrimRight(l, "\n"))
			}
			if strings.Contains(l, want) {
				close(found)
				go io.Copy(io.Discard, r)
				return
			}
			if err != nil {
				return
			}
		}
	}()
	select {
	case <-found:
	case <-time.After(within):
		t.Fatalf("no %q within %s", want, within)
	}
}

// TestVerifyInterrupted: Ctrl-C while waiting for the pods removes the
// cluster before labcheck exits.
func TestVerifyInterrupted(t *testing.T) {
	e := setup(t)
	interrupt(t, e.command(e.args("--lab", "kubernetes", submission(t, "passing"))...), "start DYN-012", func() {
		if left := leftovers(t); len(left) == 0 {
			t.Fatal("no cluster while waiting for the pods?")
		}
	})
	assertNothingLeft(t)
}

// interrupt starts cmd, sends it Ctrl-C once its progress shows at (after
// check, when given), and requires exit 130.
func interrupt(t *testing.T, cmd *exec.Cmd, at string, check func()) {
	t.Helper()
	stderr, err := cmd.StderrPipe()
	must(t, err)
	must(t, cmd.Start())
	waitFor(t, bufio.NewReader(stderr), at, 10*time.Minute)
	if check != nil {
		check()
	}
	start := time.Now()
	must(t, cmd.Process.Signal(os.Interrupt))
	err = cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Errorf("exit %v, want 130", err)
	}
	t.Logf("stopped and cleaned up in %s", time.Since(start).Round(time.Second))
}

// TestVerifyKilled: kill -9 leaves the cluster; --cleanup finds and removes
// it.
func TestVerifyKilled(t *testing.T) {
	e := setup(t)
	cmd := exec.Command(filepath.Join(binDir, "labcheck-verify"), append(e.flags(), "--lab", "kubernetes", submission(t, "passing"))...)
	cmd.Env = append(os.Environ(), "KIND_EXPERIMENTAL_DOCKER_NETWORK="+e.network)
	stderr, err := cmd.StderrPipe()
	must(t, err)
	must(t, cmd.Start())
	waitFor(t, bufio.NewReader(stderr), "start DYN-011", 10*time.Minute)
	must(t, cmd.Process.Signal(syscall.SIGKILL))
	_ = cmd.Wait()
	if left := leftovers(t); len(left) == 0 {
		t.Fatal("kill -9 left nothing behind: nothing for --cleanup to prove")
	} else {
		t.Logf("left behind by kill -9: %v", left)
	}
	out, code := labcheck(t, e, "verify", "--cleanup")
	if code != 0 {
		t.Errorf("--cleanup exit %d: %s", code, out)
	}
	assertNothingLeft(t)
}

// TestVerifyKeepThenExistingCluster: --keep leaves the cluster and says
// where its kubeconfig is; a second run verifies the same submission on
// that cluster through --kubeconfig (no kind: images are substituted but
// not loaded, no node is stopped); --cleanup then removes the kept
// cluster, whose run is over.
func TestVerifyKeepThenExistingCluster(t *testing.T) {
	e := setup(t)
	labs := submission(t, "passing")
	t.Cleanup(func() { labcheck(t, e, "verify", "--cleanup") })
	out, code := labcheck(t, e, e.args("--keep", "--lab", "kubernetes", labs)...)
	r := parseReport(t, out)
	if code != 0 || r.Dynamic == nil || !r.Dynamic.Environment.Kept || r.Dynamic.Environment.Kubeconfig == "" {
		t.Fatalf("--keep: exit %d, dynamic %+v", code, r.Dynamic)
	}
	kubeconfig := r.Dynamic.Environment.Kubeconfig
	if left := leftovers(t); len(left) == 0 {
		t.Fatal("--keep kept nothing")
	}

	out, code = labcheck(t, e, "verify", "--format", "json", "--no-color", "--kubeconfig", kubeconfig, "--offline",
		"--load-image", e.minioImage+"=quay.io/minio/minio", "--lab", "kubernetes", labs)
	r = parseReport(t, out)
	if code != 0 {
		t.Errorf("--kubeconfig: exit %d", code)
	}
	status := map[string]string{}
	for _, s := range r.Dynamic.Steps {
		status[s.Rule] = s.Status
	}
	for rule, want := range map[string]string{"DYN-011": "pass", "DYN-012": "pass", "DYN-013": "pass", "DYN-014": "pass", "DYN-015": "pass", "DYN-016": "skip"} {
		if status[rule] != want {
			t.Errorf("--kubeconfig: %s %s, want %s", rule, status[rule], want)
		}
	}
	if r.Dynamic.Environment.Cluster != kubeconfig {
		t.Errorf("--kubeconfig: the report names cluster %q, want the kubeconfig %s", r.Dynamic.Environment.Cluster, kubeconfig)
	}

	out, code = labcheck(t, e, "verify", "--cleanup")
	if code != 0 {
		t.Errorf("--cleanup exit %d: %s", code, out)
	}
	assertNothingLeft(t)
}

// steps maps each check's rule to its step.
func (r report) steps() map[string]struct {
	Status, Detail string
	Seconds        float64
} {
	out := map[string]struct {
		Status, Detail string
		Seconds        float64
	}{}
	if r.Dynamic == nil {
		return out
	}
	for _, s := range r.Dynamic.Steps {
		if s.Rule != "" {
			out[s.Rule] = struct {
				Status, Detail string
				Seconds        float64
			}{s.Status, s.Detail, s.Seconds}
		}
	}
	return out
}

// firstLines is a message's first n lines, for the log.
func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}

// logOutcome logs the wall time, the score and the first lines of every
// dynamic finding that is not info: what the note quotes.
func logOutcome(t *testing.T, took time.Duration, code int, r report) {
	t.Helper()
	t.Logf("wall time %s, exit %d, score %v/%v (reachable %v)", took.Round(time.Second), code, r.Score.Points, r.Score.Max, r.Score.Reachable)
	for _, f := range r.Findings {
		if f.Phase == "dynamic" && f.Severity != "info" {
			t.Logf("%s %s at %s:%d:\n%s", f.Severity, f.Rule, f.File, f.Line, firstLines(f.Message, 4))
		}
	}
}

// edited copies the passing submission and rewrites one of its files.
func edited(t *testing.T, file string, pairs ...string) string {
	labs := submission(t, "passing")
	p := filepath.Join(labs, filepath.FromSlash(file))
	data, err := os.ReadFile(p)
	must(t, err)
	s := string(data)
	for i := 0; i+1 < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("%s has no %q", file, pairs[i])
		}
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	must(t, os.WriteFile(p, []byte(s), 0o644))
	return labs
}

// TestVerifyBatchJob: a Lab 1 image whose program is a batch job (reads
// stdin, prints a count, exits 0) is a valid image: DYN-002 judges its
// uid from the running process when stdin holds it open, and from the
// image's own USER (resolved through its /etc/passwd) when it exits at
// once.
func TestVerifyBatchJob(t *testing.T) {
	e := setup(t)
	for _, tc := range []struct {
		name, edit, want string
	}{
		{"reads stdin", "", `as uid 1001`},
		{"exits at once, named user", "USER app\nCMD [\"--version\"]", "is uid 1001, gid 1001 (resolved through the image's /etc/passwd and /etc/group)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "sub")
			must(t, os.MkdirAll(dir, 0o755))
			run(t, "", "cp", "-a", filepath.Join(root, "internal", "verify", "testdata", "batch-job", "labs"), dir)
			labs := filepath.Join(dir, "labs")
			if tc.edit != "" {
				df := filepath.Join(labs, "docker", "Dockerfile")
				data, err := os.ReadFile(df)
				must(t, err)
				must(t, os.WriteFile(df, []byte(strings.Replace(string(data), "USER 1001:1001", tc.edit, 1)), 0o644))
			}
			start := time.Now()
			out, code := labcheck(t, e, e.args("--lab", "docker", labs)...)
			r := parseReport(t, out)
			logOutcome(t, time.Since(start), code, r)
			st := r.steps()
			if st["DYN-001"].Status != "pass" || st["DYN-002"].Status != "pass" {
				t.Errorf("DYN-001 %s, DYN-002 %s: %s", st["DYN-001"].Status, st["DYN-002"].Status, st["DYN-002"].Detail)
			}
			if !strings.Contains(st["DYN-002"].Detail, tc.want) {
				t.Errorf("DYN-002 detail %q lacks %q", st["DYN-002"].Detail, tc.want)
			}
			t.Logf("DYN-002: %s", st["DYN-002"].Detail)
			assertNothingLeft(t)
		})
	}
}

// TestVerifyTwoReplicas: 2 drives at EC:1 need both for writes. MinIO's
// maintenance check says no member can go; labcheck takes that as final
// within about 20 s, says why at spec.replicas, stops no node, and the
// check that a deleted member comes back (DYN-015) is not awarded: no
// member was deleted.
func TestVerifyTwoReplicas(t *testing.T) {
	e := setup(t)
	labs := edited(t, "kubernetes/05-statefulset.yaml", "replicas: 4", "replicas: 2", "minio-{0...3}", "minio-{0...1}")
	start := time.Now()
	out, code := labcheck(t, e, e.args("--nodes", "4", "--lab", "kubernetes", labs)...)
	took := time.Since(start)
	r := parseReport(t, out)
	logOutcome(t, took, code, r)
	st := r.steps()
	for rule, want := range map[string]string{"DYN-012": "pass", "DYN-013": "pass", "DYN-014": "fail", "DYN-015": "fail", "DYN-016": "fail"} {
		if st[rule].Status != want {
			t.Errorf("%s %s, want %s: %s", rule, st[rule].Status, want, st[rule].Detail)
		}
	}
	if !strings.Contains(st["DYN-015"].Detail, "not awarded: DYN-014") {
		t.Errorf("DYN-015 does not say its precondition did not happen: %q", st["DYN-015"].Detail)
	}
	for _, f := range r.Findings {
		if f.Rule == "DYN-014" && (f.Line != 10 || !strings.Contains(f.Message, "Run 4 replicas or more") || !strings.Contains(f.Message, "\n  why: the static phase found K8S-003 at ")) {
			t.Errorf("DYN-014 at %s:%d (want the replicas line, 10): %s", f.File, f.Line, f.Message)
		}
	}
	if st["DYN-014"].Seconds > 60 || st["DYN-016"].Seconds > 5 {
		t.Errorf("DYN-014 took %.0fs, DYN-016 %.0fs: MinIO's no is final", st["DYN-014"].Seconds, st["DYN-016"].Seconds)
	}
	assertNothingLeft(t)
}

// TestVerifyDanglingServiceName: the StatefulSet's serviceName names no
// Service, so its pods' DNS names do not exist and MinIO never forms its
// cluster. labcheck stops waiting within about a minute and says why at
// the serviceName line, quoting the static phase's K8S-004 of the same run.
func TestVerifyDanglingServiceName(t *testing.T) {
	e := setup(t)
	labs := edited(t, "kubernetes/05-statefulset.yaml", "serviceName: minio-headless", "serviceName: minio-hl", ".minio-headless.", ".minio-hl.")
	start := time.Now()
	out, code := labcheck(t, e, e.args("--lab", "kubernetes", labs)...)
	took := time.Since(start)
	r := parseReport(t, out)
	logOutcome(t, took, code, r)
	if code != 1 {
		t.Errorf("exit %d, want 1", code)
	}
	st := r.steps()
	if st["DYN-012"].Status != "fail" || st["DYN-012"].Seconds > 90 {
		t.Errorf("DYN-012 %s after %.0fs: %s", st["DYN-012"].Status, st["DYN-012"].Seconds, firstLines(st["DYN-012"].Detail, 3))
	}
	for _, f := range r.Findings {
		if f.Rule == "DYN-012" {
			if f.Line != 9 || !strings.Contains(f.Message, `spec.serviceName "minio-hl" names no Service`) || !strings.Contains(f.Message, "stopped waiting") || !strings.Contains(f.Message, "\n  why: the static phase found K8S-004 at ") {
				t.Errorf("DYN-012 at %s:%d: %s", f.File, f.Line, firstLines(f.Message, 4))
			}
		}
		if f.Phase == "dynamic" && f.Line == 0 && f.Severity != "info" {
			t.Errorf("%s points at no line: %s:%d", f.Rule, f.File, f.Line)
		}
	}
	if st["DYN-013"].Status != "fail" || !strings.Contains(st["DYN-013"].Detail, "not awarded: DYN-012") {
		t.Errorf("DYN-013 %s: %s", st["DYN-013"].Status, st["DYN-013"].Detail)
	}
	assertNothingLeft(t)
}

// danglingImages lists the engine's untagged images.
func danglingImages(t *testing.T) map[string]bool {
	out := run(t, "", "docker", "images", "-q", "--no-trunc", "--filter", "dangling=true")
	m := map[string]bool{}
	for _, id := range strings.Fields(out) {
		m[id] = true
	}
	return m
}

// TestVerifyInterruptedWhileLoading: Ctrl-C while images are side-loaded
// into the nodes (Lab 1 building beside) removes the cluster, its
// containers and every image the build had made, before labcheck exits.
// The node image holds MinIO and curl already, so the Go image, which it
// does not, is side-loaded too: its import is under way when the
// interrupt comes.
func TestVerifyInterruptedWhileLoading(t *testing.T) {
	e := setup(t)
	before := danglingImages(t)
	interrupt(t, e.command(e.args("--nodes", "2", "--load-image", goBase+"=labcheck.invalid/unused", submission(t, "passing"))...), "start load image", nil)
	assertNothingLeft(t)
	for id := range danglingImages(t) {
		if !before[id] {
			t.Errorf("dangling image %s left behind", id)
		}
	}
	t.Logf("docker ps -a:\n%s", run(t, "", "docker", "ps", "-a"))
	t.Logf("docker images:\n%s", run(t, "", "docker", "images"))
}

// TestVerifyMissingLoadImage: a --load-image the engine lacks is refused
// before any cluster exists; the report is still written.
func TestVerifyMissingLoadImage(t *testing.T) {
	e := setup(t)
	start := time.Now()
	out, code := labcheck(t, e, append(e.args("--lab", "kubernetes"), "--load-image", "labcheck.local/no-such-image:1=quay.io/minio/minio", submission(t, "passing"))...)
	took := time.Since(start)
	if code != 2 {
		t.Errorf("exit %d, want 2", code)
	}
	if took > time.Minute {
		t.Errorf("took %s to refuse a missing image", took.Round(time.Second))
	}
	r := parseReport(t, out)
	if r.Dynamic == nil {
		t.Error("no report (dynamic block) for the stopped run")
	}
	t.Logf("refused in %s; score %v/%v", took.Round(time.Second), r.Score.Points, r.Score.Max)
	assertNothingLeft(t)
}
