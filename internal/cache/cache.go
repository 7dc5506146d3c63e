package cache

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strconv"
	"sync"
	"time"
)

// format heads every entry; a change of layout changes it, so entries of
// another layout are foreign.
const format = "labcheck-result 1\n"

// DefaultMaxBytes bounds the cache folder by default.
const DefaultMaxBytes = 64 << 20

// trimEvery is how many writes of one process pass between two checks of
// the folder's size (the first write checks too).
const trimEvery = 256

// Key names an entry: the digest of everything its result depends on.
type Key [sha256.Size]byte

func (k Key) String() string { return hex.EncodeToString(k[:]) }

// Hasher builds a Key from named parts. Each part is written with its
// name and length, so no two different sequences of parts collide by
// concatenation.
type Hasher struct{ buf []byte }

// String adds a named text part.
func (h *Hasher) String(name, value string) { h.Bytes(name, []byte(value)) }

// Bytes adds a named binary part.
func (h *Hasher) Bytes(name string, value []byte) {
	h.buf = binary.AppendUvarint(h.buf, uint64(len(name)))
	h.buf = append(h.buf, name...)
	h.buf = binary.AppendUvarint(h.buf, uint64(len(value)))
	h.buf = append(h.buf, value...)
}

// Int adds a named number.
func (h *Hasher) Int(name string, v int64) { h.String(name, strconv.FormatInt(v, 10)) }

// Sum returns the key of the parts added so far.
func (h *Hasher) Sum() Key { return sha256.Sum256(h.buf) }

// Cache is one cache folder. The zero value is not usable; a nil *Cache
// is a cache that never hits and never stores.
type Cache struct {
	dir      string
	maxBytes int64

	mu     sync.Mutex
	writes int
}

// Open returns the cache in dir, which is created on the first write.
// maxBytes bounds it (0: DefaultMaxBytes).
func Open(dir string, maxBytes int64) *Cache {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	return &Cache{dir: dir, maxBytes: maxBytes}
}

// DefaultDir is labcheck's folder under the user's cache folder
// ($XDG_CACHE_HOME or ~/.cache on Linux).
func DefaultDir() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(base, "labcheck", "results"), nil
}

// Dir is the cache's folder.
func (c *Cache) Dir() string { return c.dir }

func (c *Cache) path(k Key) string {
	s := k.String()
	return filepath.Join(c.dir, s[:2], s[2:])
}

// Get returns the payload stored under k. A missing, truncated, corrupt
// or foreign entry is a miss.
func (c *Cache) Get(k Key) ([]byte, bool) {
	if c == nil {
		return nil, false
	}
	p := c.path(k)
	data, err := os.ReadFile(p)
	if err != nil {
		return nil, false
	}
	payload, ok := decode(data, k)
	if !ok {
		return nil, false
	}
	now := time.Now()
	_ = os.Chtimes(p, now, now) // used recently: evicted last
	return payload, true
}

// entry is format, the key in hex, the payload's SHA-256 in hex, each on
// a line, then the payload.
func encode(k Key, payload []byte) []byte {
	sum := sha256.Sum256(payload)
	out := make([]byte, 0, len(format)+2*len(k)+2*len(sum)+2+len(payload))
	out = append(out, format...)
	out = hex.AppendEncode(out, k[:])
	out = append(out, '\n')
	out = hex.AppendEncode(out, sum[:])
	out = append(out, '\n')
	return append(out, payload...)
}

func decode(data []byte, k Key) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(data, []byte(format))
	if !ok {
		return nil, false
	}
	keyHex, rest, ok := bytes.Cut(rest, []byte{'\n'})
	if !ok || string(keyHex) != k.String() {
		return nil, false
	}
	sumHex, payload, ok := bytes.Cut(rest, []byte{'\n'})
	sum := sha256.Sum256(payload)
	if !ok || string(sumHex) != hex.EncodeToString(sum[:]) {
		return nil, false
	}
	return payload, true
}

// Put stores payload under k: written to a temporary file beside the
// entry and renamed into place, so a reader sees the old entry, the new
// one, or none. A cache that cannot be written is no error for a check;
// the error is returned for callers that care.
func (c *Cache) Put(k Key, payload []byte) error {
	if c == nil {
		return nil
	}
	p := c.path(k)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(encode(k, payload))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), p)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	c.mu.Lock()
	c.writes++
	trim := c.writes%trimEvery == 1
	c.mu.Unlock()
	if trim {
		return c.Trim()
	}
	return nil
}

// Trim removes entries, least recently used first, until the folder holds
// at most three quarters of its bound (once it is over the bound), and
// temporary files a crashed run left behind.
func (c *Cache) Trim() error {
	type entry struct {
		path string
		size int64
		used time.Time
	}
	var entries []entry
	var total int64
	stale := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(c.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return nil // removed meanwhile by another run
		}
		if len(d.Name()) > 5 && d.Name()[:5] == ".tmp-" {
			if info.ModTime().Before(stale) {
				os.Remove(p)
			}
			return nil
		}
		entries = append(entries, entry{p, info.Size(), info.ModTime()})
		total += info.Size()
		return nil
	})
	if err != nil || total <= c.maxBytes {
		return err
	}
	slices.SortFunc(entries, func(a, b entry) int { return a.used.Compare(b.used) })
	for _, e := range entries {
		if total <= c.maxBytes*3/4 {
			break
		}
		if os.Remove(e.path) == nil {
			total -= e.size
		}
	}
	return nil
}

// Build identifies the running labcheck: its version, the revision it was
// built from, and the executable itself (path, size, modification time),
// so that a rebuilt binary, even of an unreleased version, never answers
// from entries an older one wrote.
func Build(version string) string {
	if b, ok := builds.Load(version); ok {
		return b.(string)
	}
	b := build(version)
	builds.Store(version, b)
	return b
}

var builds sync.Map // version -> Build(version): the executable does not change while it runs

func build(version string) string {
	var h Hasher
	h.String("version", version)
	if bi, ok := debug.ReadBuildInfo(); ok {
		h.String("go", bi.GoVersion)
		h.String("main", bi.Main.Path+"@"+bi.Main.Version)
		for _, s := range bi.Settings {
			if s.Key == "vcs.revision" || s.Key == "vcs.modified" || s.Key == "-ldflags" {
				h.String(s.Key, s.Value)
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		h.String("exe", exe)
		if info, err := os.Stat(exe); err == nil {
			h.Int("size", info.Size())
			h.Int("mtime", info.ModTime().UnixNano())
		}
	}
	return h.Sum().String()
}
