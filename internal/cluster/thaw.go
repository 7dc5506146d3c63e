package cluster

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/moby/sys/mountinfo"
	kind "sigs.k8s.io/kind/pkg/cluster"
)

// deleteCluster deletes a kind cluster. When Docker cannot remove a node
// because a cgroup under it is frozen, the frozen cgroups are thawed and
// the delete is tried once more.
//
// runc freezes a container's cgroup while it sets the container's device
// rules through systemd (the systemd cgroup driver, as in kind's nodes);
// a node killed at that moment, a cluster deleted while a pod's container
// is being made in it, leaves that cgroup frozen. Its processes cannot
// take the kill, so the node's init never exits and Docker gives up on
// it ("tried to kill container, but did not receive an exit event"),
// leaving the node running. Seen with a 5-node cluster deleted while its
// nodes were starting their pods.
func deleteCluster(p *kind.Provider, name, kubeconfig string) error {
	err := p.Delete(name, kubeconfig)
	if err == nil {
		return nil
	}
	thawed, terr := thawNodes(p, name)
	if thawed == 0 {
		if terr != nil {
			return errors.Join(err, terr)
		}
		return err
	}
	if err := p.Delete(name, kubeconfig); err != nil {
		return errors.Join(fmt.Errorf("after thawing %d frozen cgroups under its nodes: %w", thawed, err), terr)
	}
	return nil
}

// thawNodes thaws every frozen cgroup under the node containers of the
// cluster name that are still there, and returns how many it thawed.
func thawNodes(p *kind.Provider, name string) (int, error) {
	ns, err := p.ListNodes(name)
	if err != nil {
		return 0, err
	}
	mounts, err := mountinfo.GetMounts(mountinfo.FSTypeFilter("cgroup", "cgroup2"))
	if err != nil {
		return 0, err
	}
	total := 0
	var errs []error
	for _, n := range ns {
		out, err := exec.Command("docker", "inspect", "--format", "{{.State.Pid}}", n.String()).Output()
		pid := strings.TrimSpace(string(out))
		if err != nil || pid == "" || pid == "0" {
			continue // gone, or not running: nothing of it is frozen
		}
		self, err := os.ReadFile("/proc/" + pid + "/cgroup")
		if err != nil {
			continue
		}
		dir, v2 := freezerDir(self, mounts)
		if dir == "" {
			continue
		}
		k, err := thawTree(dir, v2)
		total += k
		if err != nil {
			errs = append(errs, fmt.Errorf("thaw the cgroups of node %s: %w", n, err))
		}
	}
	return total, errors.Join(errs...)
}

// freezerDir is the directory of a process's freezer cgroup, from its
// /proc/PID/cgroup and the host's cgroup mounts: the v1 freezer hierarchy
// when the host has one, else the unified (v2) hierarchy, where every
// cgroup has cgroup.freeze.
func freezerDir(cgroup []byte, mounts []*mountinfo.Info) (dir string, v2 bool) {
	var v1Path, v2Path string
	found1, found2 := false, false
	for line := range strings.SplitSeq(string(cgroup), "\n") {
		// hierarchy-ID:controller-list:cgroup-path
		f := strings.SplitN(line, ":", 3)
		if len(f) != 3 {
			continue
		}
		switch {
		case f[0] == "0" && f[1] == "":
			v2Path, found2 = f[2], true
		case hasField(f[1], "freezer"):
			v1Path, found1 = f[2], true
		}
	}
	var v1Mount, v2Mount string
	for _, m := range mounts {
		if m.Root != "/" { // a bind mount of a sub-tree: paths in it are not the hierarchy's
			continue
		}
		switch {
		case m.FSType == "cgroup" && hasField(m.VFSOptions, "freezer") && v1Mount == "":
			v1Mount = m.Mountpoint
		case m.FSType == "cgroup2" && v2Mount == "":
			v2Mount = m.Mountpoint
		}
	}
	switch {
	case found1 && v1Mount != "":
		return filepath.Join(v1Mount, v1Path), false
	case found2 && v2Mount != "":
		return filepath.Join(v2Mount, v2Path), true
	}
	return "", false
}

func hasField(list, name string) bool {
	for f := range strings.SplitSeq(list, ",") {
		if f == name {
			return true
		}
	}
	return false
}

// thawTree thaws every frozen cgroup in the tree at dir, parents before
// children (a child of a frozen parent stays frozen): freezer.state FROZEN
// (or FREEZING) becomes THAWED in a v1 hierarchy, cgroup.freeze 1 becomes
// 0 in a v2 one. It returns how many it thawed.
func thawTree(dir string, v2 bool) (int, error) {
	file, frozen, thawed := "freezer.state", []string{"FROZEN", "FREEZING"}, "THAWED"
	if v2 {
		file, frozen, thawed = "cgroup.freeze", []string{"1"}, "0"
	}
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil // a cgroup removed meanwhile
			}
			return err
		}
		if d.IsDir() || d.Name() != file {
			return nil
		}
		if state, err := os.ReadFile(path); err == nil && slices.Contains(frozen, strings.TrimSpace(string(state))) {
			found = append(found, path)
		}
		return nil
	})
	slices.SortStableFunc(found, func(a, b string) int {
		return strings.Count(a, string(filepath.Separator)) - strings.Count(b, string(filepath.Separator))
	})
	n := 0
	var errs []error
	for _, path := range found {
		if err := os.WriteFile(path, []byte(thawed), 0); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(err, errors.Join(errs...))
}
