//go:build e2e

// Deleting a kind cluster against a real Docker engine, in the offline
// kind environment that `make e2e-env` builds. Run it with
//
//	go test -tags e2e -count 1 -run TestDelete -v ./internal/cluster/
package cluster

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// nodeImage readies the offline environment's node image and network (the
// e2e scripts' own functions) and returns the image, or skips saying why.
func nodeImage(t *testing.T) string {
	t.Helper()
	cache := os.Getenv("LABCHECK_E2E_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "labcheck-e2e")
	}
	if _, err := os.Stat(filepath.Join(cache, "ready.env")); err != nil {
		t.Skipf("the offline kind environment is not built (%v): run make e2e-env", err)
	}
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
	cmd := exec.Command("bash", "-c", `set -e
source test/e2e/lib.sh
set -a; source "$E2E_READY"; set +a
start_dockerd >&2
docker_import "$LABCHECK_E2E_NODE_IMAGE" "$LABCHECK_E2E_NODE_KEY" "$LABCHECK_E2E_NODE_TAR" "${NODE_IMAGE_CHANGES[@]}" >&2
ensure_e2e_network >&2
echo "$LABCHECK_E2E_NODE_IMAGE $KIND_EXPERIMENTAL_DOCKER_NETWORK"`)
	cmd.Dir, cmd.Stderr = root, os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("preparing the e2e environment: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 2 {
		t.Fatalf("preparing the e2e environment printed %q", out)
	}
	t.Setenv("KIND_EXPERIMENTAL_DOCKER_NETWORK", f[1])
	return f[0]
}

// TestDeleteThawsFrozenCgroups: a node whose pod container's cgroup is
// frozen (what a node killed while runc sets up a container leaves) is
// still deleted. Without the thaw Docker answers "tried to kill container,
// but did not receive an exit event" and the node keeps running.
func TestDeleteThawsFrozenCgroups(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the test freezes a cgroup of the node")
	}
	image := nodeImage(t)
	t.Setenv("TMPDIR", t.TempDir()) // the cluster's kubeconfig and lock
	start := time.Now()
	c, err := Create(t.Context(), Options{NodeImage: image, WaitReady: 3 * time.Minute, Log: testWriter{t}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Whatever the outcome, leave nothing running.
		if out, _ := exec.Command("docker", "ps", "-aq", "--filter", "label=io.x-k8s.kind.cluster="+c.Name).Output(); len(out) > 0 {
			p := newProvider(nil)
			_, _ = thawNodes(p, c.Name)
			_ = p.Delete(c.Name, c.Kubeconfig)
		}
	})
	t.Logf("created %s in %s", c.Name, time.Since(start).Round(time.Second))

	node := c.Name + "-control-plane"
	pid := strings.TrimSpace(run(t, "docker", "inspect", "--format", "{{.State.Pid}}", node))
	self, err := os.ReadFile("/proc/" + pid + "/cgroup")
	if err != nil {
		t.Fatal(err)
	}
	mounts, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		t.Fatal(err)
	}
	dir, v2 := freezerDir(self, mounts)
	if dir == "" {
		t.Skip("no freezer cgroup found for the node on this host")
	}
	file, frozen := "freezer.state", "FROZEN"
	if v2 {
		file, frozen = "cgroup.freeze", "1"
	}
	scopes, _ := filepath.Glob(filepath.Join(dir, "kubelet.slice", "*", "*", "*", "cri-containerd-*.scope", file))
	if len(scopes) == 0 {
		t.Fatalf("no pod container cgroup under %s", dir)
	}
	if err := os.WriteFile(scopes[0], []byte(frozen), 0); err != nil {
		t.Fatal(err)
	}
	t.Logf("froze %s", strings.TrimPrefix(scopes[0], dir))

	start = time.Now()
	if err := c.Delete(); err != nil {
		t.Fatalf("delete: %v", err)
	}
	t.Logf("deleted in %s", time.Since(start).Round(100*time.Millisecond))
	if out := run(t, "docker", "ps", "-aq", "--filter", "label=io.x-k8s.kind.cluster="+c.Name); strings.TrimSpace(out) != "" {
		t.Errorf("containers left: %s", out)
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
	}
	return string(out)
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimRight(string(p), "\n"))
	return len(p), nil
}
