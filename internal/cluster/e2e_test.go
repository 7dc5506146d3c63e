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
	"strings"
	"testing"
	"time"

	"github.com/moby/sys/mountinfo"

	"github.com/labcheck/labcheck/internal/e2eenv"
)

// TestDeleteThawsFrozenCgroups: a node whose pod container's cgroup is
// frozen (what a node killed while runc sets up a container leaves) is
// still deleted. Without the thaw Docker answers "tried to kill container,
// but did not receive an exit event" and the node keeps running.
func TestDeleteThawsFrozenCgroups(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the test freezes a cgroup of the node")
	}
	env := e2eenv.Ready(t)
	t.Setenv("KIND_EXPERIMENTAL_DOCKER_NETWORK", env.Network)
	t.Setenv("TMPDIR", t.TempDir()) // the cluster's kubeconfig and lock
	start := time.Now()
	c, err := Create(t.Context(), Options{NodeImage: env.NodeImage, WaitReady: 3 * time.Minute, Log: testWriter{t}})
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
	mounts, err := mountinfo.GetMounts(mountinfo.FSTypeFilter("cgroup", "cgroup2"))
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
