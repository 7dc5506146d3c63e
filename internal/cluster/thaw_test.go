package cluster

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/moby/sys/mountinfo"
)

func TestFreezerDir(t *testing.T) {
	mount := func(root, at, fstype, super string) *mountinfo.Info {
		return &mountinfo.Info{Root: root, Mountpoint: at, FSType: fstype, VFSOptions: super}
	}
	v1Mounts := []*mountinfo.Info{
		mount("/", "/sys/fs/cgroup/freezer", "cgroup", "rw,freezer"),
		mount("/", "/sys/fs/cgroup/cpu,cpuacct", "cgroup", "rw,cpu,cpuacct"),
		mount("/", "/sys/fs/cgroup/unified", "cgroup2", "rw"),
	}
	v2Mounts := []*mountinfo.Info{mount("/", "/sys/fs/cgroup", "cgroup2", "rw,nsdelegate")}
	cases := []struct {
		name, cgroup, want string
		mounts             []*mountinfo.Info
		v2                 bool
	}{
		{
			name:   "cgroup v1: the freezer hierarchy, not the unified one",
			cgroup: "12:cpu,cpuacct:/docker/abc\n6:freezer:/docker/abc\n0::/docker/abc\n",
			mounts: v1Mounts,
			want:   "/sys/fs/cgroup/freezer/docker/abc",
		},
		{
			name:   "cgroup v2",
			cgroup: "0::/system.slice/docker-abc.scope\n",
			mounts: v2Mounts,
			want:   "/sys/fs/cgroup/system.slice/docker-abc.scope", v2: true,
		},
		{
			name:   "a freezer hierarchy that is not mounted here",
			cgroup: "6:freezer:/docker/abc\n",
			mounts: v2Mounts,
			want:   "",
		},
		{
			name:   "a bind mount of a sub-tree is not the hierarchy's root",
			cgroup: "6:freezer:/docker/abc\n",
			mounts: []*mountinfo.Info{mount("/docker", "/sys/fs/cgroup/freezer", "cgroup", "rw,freezer")},
			want:   "",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir, v2 := freezerDir([]byte(c.cgroup), c.mounts)
			if dir != c.want || v2 != c.v2 {
				t.Errorf("freezerDir = %q, v2 %v; want %q, v2 %v", dir, v2, c.want, c.v2)
			}
		})
	}
}

func TestThawTree(t *testing.T) {
	write := func(t *testing.T, path, content string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	read := func(t *testing.T, path string) string {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(string(b))
	}
	t.Run("v1", func(t *testing.T) {
		root := t.TempDir()
		node := filepath.Join(root, "docker", "abc")
		write(t, filepath.Join(node, "freezer.state"), "THAWED\n")
		pod := filepath.Join(node, "kubelet.slice", "pod1.slice")
		write(t, filepath.Join(pod, "freezer.state"), "FROZEN\n")
		// A container scope sorts before its pod's freezer.state: the pod
		// is still thawed first.
		write(t, filepath.Join(pod, "cri-containerd-1.scope", "freezer.state"), "FROZEN\n")
		write(t, filepath.Join(node, "kubelet.slice", "pod2.slice", "freezer.state"), "FREEZING\n")
		write(t, filepath.Join(root, "docker", "other", "freezer.state"), "FROZEN\n")
		n, err := thawTree(node, false)
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 {
			t.Errorf("thawed %d cgroups, want 3", n)
		}
		for _, p := range []string{
			filepath.Join(node, "freezer.state"),
			filepath.Join(pod, "freezer.state"),
			filepath.Join(pod, "cri-containerd-1.scope", "freezer.state"),
			filepath.Join(node, "kubelet.slice", "pod2.slice", "freezer.state"),
		} {
			if got := read(t, p); got != "THAWED" {
				t.Errorf("%s: %s, want THAWED", p, got)
			}
		}
		if got := read(t, filepath.Join(root, "docker", "other", "freezer.state")); got != "FROZEN" {
			t.Errorf("a cgroup outside the node was changed: %s", got)
		}
	})
	t.Run("v2", func(t *testing.T) {
		node := t.TempDir()
		write(t, filepath.Join(node, "cgroup.freeze"), "0\n")
		write(t, filepath.Join(node, "kubelet.slice", "a.scope", "cgroup.freeze"), "1\n")
		n, err := thawTree(node, true)
		if err != nil || n != 1 {
			t.Fatalf("thawed %d, err %v; want 1, nil", n, err)
		}
		if got := read(t, filepath.Join(node, "kubelet.slice", "a.scope", "cgroup.freeze")); got != "0" {
			t.Errorf("cgroup.freeze %s, want 0", got)
		}
	})
	t.Run("nothing frozen", func(t *testing.T) {
		node := t.TempDir()
		write(t, filepath.Join(node, "freezer.state"), "THAWED\n")
		if n, err := thawTree(node, false); n != 0 || err != nil {
			t.Errorf("thawed %d, err %v; want 0, nil", n, err)
		}
	})
}
