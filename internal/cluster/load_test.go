package cluster

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"

	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/exec"
)

// fakeNode answers `crictl images -o json` as containerd's CRI does, with
// the images it holds (image ID by repository tag); down fails the command.
type fakeNode struct {
	name   string
	images map[string]string
	down   bool
}

func (n fakeNode) String() string              { return n.name }
func (n fakeNode) Role() (string, error)       { return "worker", nil }
func (n fakeNode) IP() (string, string, error) { return "", "", nil }
func (n fakeNode) SerialLogs(io.Writer) error  { return nil }
func (n fakeNode) Command(c string, a ...string) exec.Cmd {
	return &fakeCmd{node: n, args: append([]string{c}, a...)}
}
func (n fakeNode) CommandContext(_ context.Context, c string, a ...string) exec.Cmd {
	return n.Command(c, a...)
}

type fakeCmd struct {
	node fakeNode
	args []string
	out  io.Writer
}

func (c *fakeCmd) Run() error {
	if strings.Join(c.args, " ") != "crictl images -o json" {
		return fmt.Errorf("unexpected command %q", c.args)
	}
	if c.node.down {
		return errors.New("container is not running")
	}
	var entries []string
	for tag, id := range c.node.images {
		entries = append(entries, fmt.Sprintf(`{"id": %q, "repoTags": [%q], "repoDigests": [], "size": "1", "pinned": true}`, id, tag))
	}
	_, err := fmt.Fprintf(c.out, `{"images": [%s]}`, strings.Join(entries, ", "))
	return err
}
func (c *fakeCmd) SetEnv(...string) exec.Cmd      { return c }
func (c *fakeCmd) SetStdin(io.Reader) exec.Cmd    { return c }
func (c *fakeCmd) SetStdout(w io.Writer) exec.Cmd { c.out = w; return c }
func (c *fakeCmd) SetStderr(io.Writer) exec.Cmd   { return c }

// A node is skipped only when it holds the image under the very ID of the
// local one (as `kind load` skips it): an older image under the same name,
// none, or a node that cannot be asked is loaded. Short names are matched
// as containerd names them (docker.io/library/…, :latest).
func TestLacking(t *testing.T) {
	const minio, busybox = "sha256:1111", "sha256:2222"
	ns := []nodes.Node{
		fakeNode{name: "control-plane", images: map[string]string{"labcheck.local/minio:1": minio, "docker.io/library/busybox:latest": busybox}},
		fakeNode{name: "worker", images: map[string]string{"labcheck.local/minio:1": "sha256:0000"}}, // stale: same name, other content
		fakeNode{name: "worker2"},             // holds neither
		fakeNode{name: "worker3", down: true}, // cannot be asked
		fakeNode{name: "worker4", images: map[string]string{"labcheck.local/minio:1": minio, "docker.io/library/busybox:latest": busybox}},
	}
	held := nodeImages(context.Background(), ns)
	names := func(ns []nodes.Node) []string {
		var out []string
		for _, n := range ns {
			out = append(out, n.String())
		}
		return out
	}
	for _, tc := range []struct {
		image, id string
		want      []string
	}{
		{"labcheck.local/minio:1", minio, []string{"worker", "worker2", "worker3"}},
		{"busybox", busybox, []string{"worker", "worker2", "worker3"}},
		{"labcheck.local/minio:2", minio, []string{"control-plane", "worker", "worker2", "worker3", "worker4"}},
		// An unknown local ID matches nothing: every node is loaded.
		{"labcheck.local/minio:1", "", []string{"control-plane", "worker", "worker2", "worker3", "worker4"}},
	} {
		if got := names(lacking(ns, held, tc.image, tc.id)); !slices.Equal(got, tc.want) {
			t.Errorf("lacking(%s, %s) = %q, want %q", tc.image, tc.id, got, tc.want)
		}
	}
}
