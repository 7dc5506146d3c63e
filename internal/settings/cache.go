package settings

import (
	"encoding/json"
	"sync"

	"github.com/labcheck/labcheck/internal/cache"
)

// resultCache is the per-lab result cache of a run: the user's cache
// folder, unless --no-cache (or no cache folder can be found).
func (s *Settings) resultCache() *cache.Cache {
	if s.NoCache {
		return nil
	}
	dir, err := cache.DefaultDir()
	if err != nil {
		return nil
	}
	c, _ := caches.LoadOrStore(dir, cache.Open(dir, 0))
	return c.(*cache.Cache)
}

// caches holds one Cache per folder for the process, so that labcheck
// grade's submissions share one count of writes between two trims.
var caches sync.Map

// cacheSalt is what, beside the submission and the policies, can change a
// lab's cached result: the labcheck that computed it, the config in
// effect and the rubric.
func (s *Settings) cacheSalt() string {
	var h cache.Hasher
	h.String("build", cache.Build(s.Version))
	cfg, _ := json.Marshal(s.Config)
	h.Bytes("config", cfg)
	if s.Rubric != nil {
		h.String("rubric", s.Rubric.Digest)
		r, _ := json.Marshal(s.Rubric)
		h.Bytes("rubric-content", r)
	}
	return h.Sum().String()
}
