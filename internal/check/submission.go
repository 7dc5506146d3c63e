package check

import (
	"sync"

	"github.com/labcheck/labcheck/internal/discover"
	"github.com/labcheck/labcheck/internal/engine"
	"github.com/labcheck/labcheck/internal/finding"
	"github.com/labcheck/labcheck/internal/parse/manifest"
)

// submission is what every lab's builder reads. Labs are built in
// parallel; work more than one lab needs (parsing the YAML manifests) is
// done once, on first use.
type submission struct {
	trees []*discover.Tree
	eng   *engine.Engine // for a lab that runs another lab's rules on derived input (helm: Kubernetes rules on rendered charts)

	manifestsOnce sync.Once
	parsed        map[finding.Lab]*parsedManifests

	renderOnce sync.Once
	charts     []renderedChart // Helm charts, rendered with each values file
}

// parsedManifests are the objects of one lab's YAML files and the problems
// found reading them.
type parsedManifests struct {
	Objects  []manifest.Object
	Problems []manifest.Problem
}

// manifests returns the parsed YAML files of a lab (kubernetes or istio),
// in path order. Files are parsed in parallel, once per submission.
func (s *submission) manifests(lab finding.Lab) *parsedManifests {
	s.manifestsOnce.Do(func() {
		files := filesOf(s.trees, discover.Manifest)
		objs := make([][]manifest.Object, len(files))
		probs := make([][]manifest.Problem, len(files))
		var wg sync.WaitGroup
		for i, f := range files {
			wg.Go(func() { objs[i], probs[i] = manifest.Parse(f.Path, f.Data, manifest.DefaultLimits) })
		}
		wg.Wait()
		s.parsed = map[finding.Lab]*parsedManifests{}
		for i, f := range files {
			p := s.parsed[f.Lab]
			if p == nil {
				p = &parsedManifests{}
				s.parsed[f.Lab] = p
			}
			p.Objects = append(p.Objects, objs[i]...)
			p.Problems = append(p.Problems, probs[i]...)
		}
	})
	if p := s.parsed[lab]; p != nil {
		return p
	}
	return &parsedManifests{}
}
