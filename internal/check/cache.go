package check

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/labcheck/labcheck/internal/cache"
	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/finding"
)

// outcome is one lab's result: what the result cache stores.
type outcome struct {
	Findings  []finding.Finding `json:"findings"`
	Submitted bool              `json:"submitted"`
	err       error
}

// sources are the labs whose files a lab's result depends on: its own,
// and for the Istio lab, which judges the mesh against the whole
// submission, the Kubernetes lab's manifests and the Helm charts.
var sources = map[finding.Lab][]finding.Lab{
	finding.Docker:     {finding.Docker},
	finding.Kubernetes: {finding.Kubernetes},
	finding.Helm:       {finding.Helm},
	finding.Istio:      {finding.Istio, finding.Kubernetes, finding.Helm},
}

// kinds are the kinds of files a lab's builder reads whatever lab they
// were assigned to.
var kinds = map[finding.Lab][]discover.Kind{
	finding.Docker: {discover.Dockerfile, discover.DockerIgnore, discover.BuildScript},
}

// checkLab returns a lab's findings (waived ones marked, custom policies'
// included) from the cache when a run with the same inputs stored them,
// else by building the lab's input and evaluating its policies, which are
// compiled only then.
func checkLab(ctx context.Context, sub *submission, lab finding.Lab, opts Options) outcome {
	var key cache.Key
	if opts.Cache != nil {
		key = labKey(sub, lab, opts)
		if data, ok := opts.Cache.Get(key); ok {
			var o outcome
			if json.Unmarshal(data, &o) == nil {
				return o
			}
		}
	}
	go sub.eng.Prepare(ctx, lab) // compile while the input is built; Evaluate waits for it
	in, err := builders[lab](ctx, sub)
	if err == nil && derived[lab] != nil {
		err = derived[lab](ctx, sub, &in)
	}
	if err != nil {
		return outcome{err: fmt.Errorf("%s lab: %w", lab, err)}
	}
	fs, err := sub.eng.Evaluate(ctx, lab, in.input)
	if err != nil {
		return outcome{err: err}
	}
	fs = applyWaivers(append(fs, in.findings...), in.waivers, in.summaries)
	if opts.Custom != nil {
		custom, err := customFindings(ctx, sub, opts.Custom, []finding.Lab{lab})
		if err != nil {
			return outcome{err: err}
		}
		fs = append(fs, custom...)
	}
	o := outcome{Findings: finding.Sort(fs), Submitted: in.submitted}
	if opts.Cache != nil {
		if data, err := json.Marshal(o); err == nil {
			_ = opts.Cache.Put(key, data) // a cache that cannot be written only costs time
		}
	}
	return o
}

// labKey digests everything a lab's result depends on: the caller's salt
// (labcheck's build, the config, the rubric), the policies, the custom
// policies, the limits, where the submission is, and the path, kind and
// content of every file (and every refused file) the lab reads.
func labKey(sub *submission, lab finding.Lab, opts Options) cache.Key {
	var h cache.Hasher
	h.String("salt", opts.CacheSalt)
	h.String("policies", sub.eng.Digest())
	if opts.Custom != nil {
		h.String("custom", opts.Custom.Digest())
	}
	h.Int("max-file-size", opts.Limits.MaxFileSize)
	h.Int("max-files", int64(opts.Limits.MaxFiles))
	h.String("lab", string(lab))
	reads := map[finding.Lab]bool{}
	for _, l := range sources[lab] {
		reads[l] = true
	}
	kindRead := map[discover.Kind]bool{}
	for _, k := range kinds[lab] {
		kindRead[k] = true
	}
	for _, t := range sub.trees {
		h.String("tree", t.Arg)
		h.String("root", t.Root)
		for _, l := range finding.Labs {
			h.String("expected", t.Expected(l, ""))
		}
		for _, f := range t.Files {
			if reads[f.Lab] || kindRead[f.Kind] {
				fileKey(&h, f)
			}
		}
		if reads[finding.Helm] {
			for _, c := range t.Charts {
				h.String("chart", c.Path)
				h.String("chart-rel", c.Rel)
				for _, f := range c.Files {
					fileKey(&h, f)
				}
			}
		}
		for _, p := range t.Problems {
			if reads[p.Lab] {
				h.String("problem", p.Path)
				h.String("problem-lab", string(p.Lab))
				h.String("message", p.Message)
			}
		}
	}
	return h.Sum()
}

func fileKey(h *cache.Hasher, f discover.File) {
	h.String("file", f.Path)
	h.String("rel", f.Rel)
	h.Int("kind", int64(f.Kind))
	h.String("file-lab", string(f.Lab))
	h.Bytes("data", f.Data)
}
