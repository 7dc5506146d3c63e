package cluster

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/distribution/reference"
	kind "sigs.k8s.io/kind/pkg/cluster"
	"sigs.k8s.io/kind/pkg/cluster/nodes"
	"sigs.k8s.io/kind/pkg/cluster/nodeutils"
)

// Prefix starts the name of every cluster labcheck creates.
const Prefix = "labcheck-"

// namePattern is the exact shape of our cluster names: Prefix and eight hex
// digits. Cleanup removes only these, never another tool's clusters that
// happen to share the prefix (labcheck's own e2e clusters are labcheck-e2e-…).
var namePattern = regexp.MustCompile(`^labcheck-[0-9a-f]{8}$`)

// NewName returns a fresh cluster name.
func NewName() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return Prefix + hex.EncodeToString(b)
}

// Options shape a new cluster.
type Options struct {
	Name       string        // default NewName()
	NodeImage  string        // kind node image
	Workers    int           // worker nodes besides the control plane
	KindConfig []byte        // raw v1alpha4 config; its nodes replace Workers
	WaitReady  time.Duration // bound on the control plane becoming Ready
	Log        io.Writer     // kind's progress
	Lock       *Lock         // the run's lock (LockRun(Name)); taken here when nil
}

// Cluster is a kind cluster this process created, or an existing cluster
// given by kubeconfig (which is never deleted).
type Cluster struct {
	Name       string
	Kubeconfig string
	NodeImage  string
	owned      bool
	provider   *kind.Provider
	lock       *Lock
	ownLock    bool // the lock was taken by Create, so Delete releases it
	deleteOnce sync.Once
	deleteErr  error
}

// Existing wraps a cluster the user gave with --kubeconfig.
func Existing(kubeconfig string) *Cluster {
	return &Cluster{Name: "", Kubeconfig: kubeconfig}
}

// Owned reports whether this process created the cluster (and so may
// delete it, load images into it and stop its nodes).
func (c *Cluster) Owned() bool { return c.owned }

// stateDir holds a lock and a kubeconfig per cluster this user's runs
// created: a running run holds its lock, so Cleanup can tell a live cluster
// from one a killed run left.
func stateDir() (string, error) {
	dir := filepath.Join(os.TempDir(), "labcheck-verify")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("state directory: %w", err)
	}
	return dir, nil
}

func newProvider(log io.Writer) *kind.Provider {
	return kind.NewProvider(kind.ProviderWithDocker(), kind.ProviderWithLogger(newLogger(log)))
}

// Create boots a kind cluster. When ctx ends first (Ctrl-C, the run's
// timeout) whatever was created is deleted before Create returns: kind's
// own Create takes no context, so it runs aside and is cleaned up after.
func Create(ctx context.Context, o Options) (*Cluster, error) {
	if o.Name == "" {
		o.Name = NewName()
	}
	dir, err := stateDir()
	if err != nil {
		return nil, err
	}
	l, ownLock := o.Lock, o.Lock == nil
	if ownLock {
		if l, err = LockRun(o.Name); err != nil {
			return nil, err
		}
	}
	c := &Cluster{
		Name:       o.Name,
		Kubeconfig: filepath.Join(dir, o.Name+".kubeconfig"),
		NodeImage:  o.NodeImage,
		owned:      true,
		provider:   newProvider(o.Log),
		lock:       l,
		ownLock:    ownLock,
	}
	raw := o.KindConfig
	if len(raw) == 0 {
		raw = Config(o.Workers)
	}
	opts := []kind.CreateOption{
		kind.CreateWithRawConfig(raw),
		kind.CreateWithKubeconfigPath(c.Kubeconfig),
		kind.CreateWithWaitForReady(o.WaitReady),
		kind.CreateWithDisplayUsage(false),
		kind.CreateWithDisplaySalutation(false),
	}
	if o.NodeImage != "" {
		opts = append(opts, kind.CreateWithNodeImage(o.NodeImage))
	}
	done := make(chan error, 1)
	go func() { done <- c.provider.Create(c.Name, opts...) }()
	select {
	case err := <-done:
		if err != nil {
			_ = c.Delete() // kind deletes a cluster it failed to create; this releases our lock and files too
			return nil, fmt.Errorf("create kind cluster %s from %s: %w", c.Name, o.NodeImage, err)
		}
		return c, nil
	case <-ctx.Done():
		// Delete what exists now, let kind's Create fail on the missing
		// containers, then delete again whatever it made meanwhile.
		_ = deleteCluster(c.provider, c.Name, c.Kubeconfig)
		select {
		case <-done:
		case <-time.After(3 * time.Minute):
		}
		c.deleteOnce = sync.Once{}
		err := c.Delete()
		return nil, errors.Join(fmt.Errorf("create kind cluster %s: %w", c.Name, context.Cause(ctx)), err)
	}
}

// LockRun takes the lock of a run named name (a cluster name) for as long
// as the process lives or until Release: --cleanup leaves alone the
// clusters, containers and images of runs whose lock is held.
func LockRun(name string) (*Lock, error) {
	dir, err := stateDir()
	if err != nil {
		return nil, err
	}
	return acquire(filepath.Join(dir, name+".lock"))
}

// InUse reports whether a run's lock is held by a live process.
func InUse(name string) bool {
	dir, err := stateDir()
	if err != nil {
		return false
	}
	l, err := tryAcquire(filepath.Join(dir, name+".lock"))
	if err != nil {
		return true
	}
	l.release()
	return false
}

// Release drops the lock.
func (l *Lock) Release() { l.release() }

// Config is a kind config with one control plane and workers.
func Config(workers int) []byte {
	var b strings.Builder
	b.WriteString("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n")
	for range workers {
		b.WriteString("- role: worker\n")
	}
	return []byte(b.String())
}

// Delete removes the cluster, its kubeconfig and its lock. It is safe to
// call more than once and from a signal handler's goroutine; an existing
// cluster (--kubeconfig) is left alone.
func (c *Cluster) Delete() error {
	if !c.owned {
		return nil
	}
	c.deleteOnce.Do(func() {
		c.deleteErr = deleteCluster(c.provider, c.Name, c.Kubeconfig)
		if c.deleteErr == nil {
			_ = os.Remove(c.Kubeconfig)
			_ = os.Remove(c.Kubeconfig + ".lock")
			if c.ownLock {
				c.lock.release()
			}
		}
	})
	if c.deleteErr != nil {
		return fmt.Errorf("delete kind cluster %s: %w", c.Name, c.deleteErr)
	}
	return nil
}

// Keep releases the cluster to the user: its lock is dropped (so a later
// --cleanup may remove it) and its kubeconfig stays.
func (c *Cluster) Keep() {
	if c.owned && c.ownLock {
		c.lock.release()
	}
}

// Nodes returns the cluster's node container names.
func (c *Cluster) nodes() ([]nodes.Node, error) {
	all, err := c.provider.ListInternalNodes(c.Name)
	if err != nil {
		return nil, fmt.Errorf("list nodes of %s: %w", c.Name, err)
	}
	return all, nil
}

// ImageLoad is what LoadImages did with one image (in the order given).
type ImageLoad struct {
	Loaded int           // nodes it was imported into; the others held it
	Took   time.Duration // from the start until it was in every node
	Err    error
}

// LoadImages copies local Docker images into every node's containerd, as
// `kind load docker-image` does: each saved once and imported into the
// nodes in parallel, the images side by side (most of a small image's time
// is the per-node import's own start, which then overlaps a large one's).
// As kind does, a node that already holds an image under the local image's
// ID (baked into the node image, or loaded before) is not loaded; each
// node is asked once, for every image. It returns one ImageLoad per image,
// in order, and the number of nodes. Cancelling ctx stops everything (the
// cluster is then deleted by its owner, whatever was half-imported with it).
func (c *Cluster) LoadImages(ctx context.Context, images []string) ([]ImageLoad, int, error) {
	if !c.owned {
		return nil, 0, fmt.Errorf("--load-image: only into a cluster labcheck creates (load images into your cluster yourself)")
	}
	t0 := time.Now()
	ns, err := c.nodes()
	if err != nil {
		return nil, 0, err
	}
	held := nodeImages(ctx, ns)
	out := make([]ImageLoad, len(images))
	var wg sync.WaitGroup
	for i, image := range images {
		wg.Go(func() {
			out[i].Loaded, out[i].Err = c.loadImage(ctx, ns, held, image)
			out[i].Took = time.Since(t0)
		})
	}
	wg.Wait()
	if ctx.Err() != nil {
		return out, len(ns), context.Cause(ctx)
	}
	return out, len(ns), nil
}

// loadImage imports image into the nodes of ns that do not hold it and
// returns how many those were.
func (c *Cluster) loadImage(ctx context.Context, ns []nodes.Node, held []map[string]string, image string) (int, error) {
	out, err := exec.CommandContext(ctx, "docker", "image", "inspect", "--format", "{{.Id}}", image).Output()
	if err != nil {
		if ctx.Err() != nil {
			return 0, context.Cause(ctx)
		}
		return 0, fmt.Errorf("docker image inspect %s: %w", image, err)
	}
	need := lacking(ns, held, image, strings.TrimSpace(string(out)))
	if len(need) == 0 {
		return 0, nil
	}
	dir, err := stateDir()
	if err != nil {
		return 0, err
	}
	tar, err := os.CreateTemp(dir, c.Name+"-image-*.tar")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tar.Name())
	tar.Close()
	cmd := exec.CommandContext(ctx, "docker", "save", "-o", tar.Name(), image)
	if out, err := cmd.CombinedOutput(); err != nil {
		if ctx.Err() != nil {
			return 0, context.Cause(ctx)
		}
		return 0, fmt.Errorf("docker save %s: %w: %s", image, err, strings.TrimSpace(string(out)))
	}
	errs := make([]error, len(need))
	var wg sync.WaitGroup
	for i, n := range need {
		wg.Go(func() { errs[i] = loadInto(ctx, n, image, tar.Name()) })
	}
	wg.Wait()
	if ctx.Err() != nil {
		return 0, context.Cause(ctx)
	}
	return len(need), errors.Join(errs...)
}

// nodeImages lists, for each node (asked in parallel), the images its
// containerd holds for Kubernetes: image ID by reference. A node that
// cannot be asked holds nothing, so everything is loaded into it.
func nodeImages(ctx context.Context, ns []nodes.Node) []map[string]string {
	held := make([]map[string]string, len(ns))
	var wg sync.WaitGroup
	for i, n := range ns {
		wg.Go(func() {
			var out bytes.Buffer
			if err := n.CommandContext(ctx, "crictl", "images", "-o", "json").SetStdout(&out).Run(); err != nil {
				return
			}
			held[i] = criImages(out.Bytes())
		})
	}
	wg.Wait()
	return held
}

// criImages reads `crictl images -o json`: image ID by repository tag.
func criImages(data []byte) map[string]string {
	var list struct {
		Images []struct {
			ID       string   `json:"id"`
			RepoTags []string `json:"repoTags"`
		} `json:"images"`
	}
	if json.Unmarshal(data, &list) != nil {
		return nil
	}
	m := map[string]string{}
	for _, img := range list.Images {
		for _, t := range img.RepoTags {
			m[t] = img.ID
		}
	}
	return m
}

// lacking are the nodes that do not hold image under the ID id. Node
// images are listed by their normalized references (docker.io/library/
// for a short name), as containerd's CRI names them.
func lacking(ns []nodes.Node, held []map[string]string, image, id string) []nodes.Node {
	ref := image
	if named, err := reference.ParseNormalizedNamed(image); err == nil {
		ref = reference.TagNameOnly(named).String()
	}
	var need []nodes.Node
	for i, n := range ns {
		if id == "" || held[i][ref] != id {
			need = append(need, n)
		}
	}
	return need
}

// loadInto imports a saved image into one node's containerd, as kind's
// LoadImageArchive does but without unpacking it: the node unpacks it when
// a container first needs it, so a node that never runs the image never
// pays for it, and those that do pay while their pods are scheduled. On 2
// cores, loading MinIO's 112 MB into five nodes took 30-44 s with the
// unpacking, 26-37 s without.
// The command takes no context, so the archive is fed through a reader
// that stops at ctx's end, which ends the import.
func loadInto(ctx context.Context, n nodes.Node, image, archive string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	cmd := n.Command("ctr", "--namespace=k8s.io", "images", "import", "--all-platforms", "--digests", "--no-unpack", "-")
	if err := cmd.SetStdin(ctxReader{ctx, f}).Run(); err != nil {
		if ctx.Err() != nil {
			return context.Cause(ctx)
		}
		return fmt.Errorf("load %s into node %s: %w", image, n.String(), err)
	}
	return nil
}

// ctxReader reads until ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (r ctxReader) Read(p []byte) (int, error) {
	if err := r.ctx.Err(); err != nil {
		return 0, err
	}
	return r.r.Read(p)
}

// HasImage reports whether every node already holds image (loaded, or
// baked into the node image). It is false for an existing cluster, whose
// nodes labcheck cannot see.
func (c *Cluster) HasImage(image string) bool {
	if !c.owned {
		return false
	}
	ns, err := c.nodes()
	if err != nil || len(ns) == 0 {
		return false
	}
	for _, n := range ns {
		if id, err := nodeutils.ImageID(n, image); err != nil || id == "" {
			return false
		}
	}
	return true
}

// StopNode stops a node's container, as a machine failing would.
func (c *Cluster) StopNode(ctx context.Context, node string) error {
	if !c.owned {
		return fmt.Errorf("stop node %s: only in a cluster labcheck creates", node)
	}
	if !strings.HasPrefix(node, c.Name+"-") {
		return fmt.Errorf("stop node %s: not a node of cluster %s", node, c.Name)
	}
	out, err := exec.CommandContext(ctx, "docker", "stop", "--time", "0", node).CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker stop %s: %w: %s", node, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// KindVersion is the version of kind's Go module linked in.
func KindVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok {
		for _, d := range bi.Deps {
			if d.Path == "sigs.k8s.io/kind" {
				return d.Version
			}
		}
	}
	return ""
}

// StartNode starts a node StopNode stopped (best effort: kind nodes are
// not meant to be restarted, but usually come back).
func (c *Cluster) StartNode(ctx context.Context, node string) error {
	if !c.owned || !strings.HasPrefix(node, c.Name+"-") {
		return fmt.Errorf("start node %s: not a node of cluster %s", node, c.Name)
	}
	out, err := exec.CommandContext(ctx, "docker", "start", node).CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker start %s: %w: %s", node, err, strings.TrimSpace(string(out)))
	}
	return nil
}

// NodeCount is how many nodes the cluster has (0 when unknown).
func (c *Cluster) NodeCount() int {
	if !c.owned {
		return 0
	}
	ns, err := c.nodes()
	if err != nil {
		return 0
	}
	return len(ns)
}
