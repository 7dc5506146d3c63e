package dynamic

import (
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/pflag"
)

// DefaultNodeImage is kind v0.33.0's node image for Kubernetes v1.34,
// pinned by digest as kind's release notes publish it: what a GitHub
// runner pulls.
const DefaultNodeImage = "kindest/node:v1.34.11@sha256:44e222ee2132dab25ff87301682f89eb82c7880ea3a1bf543bfe9708fd08d67d"

// Options are the dynamic phase's settings. `labcheck verify` and
// labcheck-verify register the same flags from here, so the one passes
// exactly what the other understands.
type Options struct {
	NodeImage    string
	Workers      int
	KindConfig   string
	Kubeconfig   string
	Keep         bool
	Cleanup      bool
	LoadImages   []string // LOCAL or LOCAL=REPOSITORY
	Offline      bool
	NoBuildCache bool // Lab 1 builds without the engine's build cache
	Timeout      time.Duration
	ReadyTimeout time.Duration
	Objects      int
}

// Defaults returns the options a plain `labcheck verify` runs with.
func Defaults() Options {
	return Options{
		NodeImage:    DefaultNodeImage,
		Workers:      4,
		Timeout:      30 * time.Minute,
		ReadyTimeout: 5 * time.Minute,
		Objects:      16,
	}
}

// Register adds the dynamic phase's flags to fs, with o's values as defaults.
func (o *Options) Register(fs *pflag.FlagSet) {
	d := *o
	fs.StringVar(&o.NodeImage, "node-image", d.NodeImage, "kind node image of the throw-away cluster")
	fs.IntVar(&o.Workers, "nodes", d.Workers, "worker nodes besides the control plane (pod anti-affinity and node loss need several)")
	fs.StringVar(&o.KindConfig, "kind-config", d.KindConfig, "kind cluster config file (v1alpha4); its nodes replace --nodes")
	fs.StringVar(&o.Kubeconfig, "kubeconfig", d.Kubeconfig, "use this existing cluster instead of creating one with kind")
	fs.BoolVar(&o.Keep, "keep", d.Keep, "keep the cluster after the run (its kubeconfig path is printed)")
	fs.BoolVar(&o.Cleanup, "cleanup", d.Cleanup, "delete what killed runs left behind (labcheck-* kind clusters, containers, images) and exit")
	fs.StringArrayVar(&o.LoadImages, "load-image", d.LoadImages, "side-load a local image into the cluster; LOCAL=REPOSITORY also uses it wherever the submission names REPOSITORY (any tag)")
	fs.BoolVar(&o.Offline, "offline", d.Offline, "pull nothing: steps that need an image that is not local are skipped, not failed")
	fs.BoolVar(&o.NoBuildCache, "no-build-cache", d.NoBuildCache, "build Lab 1's image without Docker's build cache (docker build --no-cache); by default unchanged steps come from the cache, as in docker build")
	fs.DurationVar(&o.Timeout, "timeout", d.Timeout, "bound on the whole dynamic phase")
	fs.DurationVar(&o.ReadyTimeout, "ready-timeout", d.ReadyTimeout, "bound on each wait for workloads to become ready")
	fs.IntVar(&o.Objects, "objects", d.Objects, "objects the high-availability proof writes before killing a member")
}

// Args returns the flags that carry o to labcheck-verify: only those that
// differ from the defaults, so the child's own defaults apply otherwise.
func (o Options) Args() []string {
	d := Defaults()
	var args []string
	str := func(name, v, def string) {
		if v != def {
			args = append(args, "--"+name, v)
		}
	}
	str("node-image", o.NodeImage, d.NodeImage)
	if o.Workers != d.Workers {
		args = append(args, "--nodes", strconv.Itoa(o.Workers))
	}
	str("kind-config", o.KindConfig, d.KindConfig)
	str("kubeconfig", o.Kubeconfig, d.Kubeconfig)
	for _, b := range []struct {
		name string
		on   bool
	}{{"keep", o.Keep}, {"cleanup", o.Cleanup}, {"offline", o.Offline}, {"no-build-cache", o.NoBuildCache}} {
		if b.on {
			args = append(args, "--"+b.name)
		}
	}
	for _, img := range o.LoadImages {
		args = append(args, "--load-image", img)
	}
	if o.Timeout != d.Timeout {
		args = append(args, "--timeout", o.Timeout.String())
	}
	if o.ReadyTimeout != d.ReadyTimeout {
		args = append(args, "--ready-timeout", o.ReadyTimeout.String())
	}
	if o.Objects != d.Objects {
		args = append(args, "--objects", strconv.Itoa(o.Objects))
	}
	return args
}

// Validate rejects settings that cannot work, before anything is started.
func (o Options) Validate() error {
	switch {
	case o.Workers < 0:
		return fmt.Errorf("--nodes %d: want 0 or more workers", o.Workers)
	case o.Timeout <= 0:
		return fmt.Errorf("--timeout %s: want a positive duration", o.Timeout)
	case o.ReadyTimeout <= 0:
		return fmt.Errorf("--ready-timeout %s: want a positive duration", o.ReadyTimeout)
	case o.Objects < 1 || o.Objects > 1000:
		return fmt.Errorf("--objects %d: want 1 to 1000", o.Objects)
	case o.Kubeconfig != "" && o.KindConfig != "":
		return fmt.Errorf("--kubeconfig and --kind-config exclude each other: one uses a cluster, the other makes one")
	}
	for _, img := range o.LoadImages {
		if img == "" || img[0] == '=' {
			return fmt.Errorf("--load-image %q: want LOCAL or LOCAL=REPOSITORY", img)
		}
	}
	return nil
}
