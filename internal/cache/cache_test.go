package cache

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func key(parts ...string) Key {
	var h Hasher
	for i, p := range parts {
		h.String(fmt.Sprint(i), p)
	}
	return h.Sum()
}

func TestGetReturnsWhatPutStored(t *testing.T) {
	c := Open(t.TempDir(), 0)
	k := key("a")
	if _, ok := c.Get(k); ok {
		t.Fatal("empty cache hit")
	}
	if err := c.Put(k, []byte("payload\nwith lines")); err != nil {
		t.Fatal(err)
	}
	got, ok := c.Get(k)
	if !ok || string(got) != "payload\nwith lines" {
		t.Fatalf("Get = %q, %v", got, ok)
	}
	if _, ok := c.Get(key("b")); ok {
		t.Fatal("another key hit")
	}
}

func TestHasherSeparatesParts(t *testing.T) {
	var a, b Hasher
	a.String("x", "ab")
	a.String("y", "c")
	b.String("x", "a")
	b.String("y", "bc")
	if a.Sum() == b.Sum() {
		t.Fatal("parts that concatenate alike give the same key")
	}
}

func TestNilCacheNeverHits(t *testing.T) {
	var c *Cache
	if err := c.Put(key("a"), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if _, ok := c.Get(key("a")); ok {
		t.Fatal("nil cache hit")
	}
}

// A damaged entry is a miss, whatever the damage.
func TestCorruptOrForeignEntryIsAMiss(t *testing.T) {
	k := key("a")
	good := encode(k, []byte(`{"findings":[]}`))
	for name, data := range map[string][]byte{
		"empty":          {},
		"truncated":      good[:len(good)-3],
		"flipped byte":   append(bytes.Clone(good[:len(good)-2]), good[len(good)-2]^1, good[len(good)-1]),
		"other format":   append([]byte("labcheck-result 0\n"), good[len(format):]...),
		"other key":      encode(key("b"), []byte(`{"findings":[]}`)),
		"garbage":        []byte("\x00\x01not an entry at all"),
		"header only":    []byte(format),
		"no payload sum": append([]byte(format), k.String()...),
	} {
		t.Run(name, func(t *testing.T) {
			c := Open(t.TempDir(), 0)
			p := c.path(k)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get(k); ok {
				t.Fatalf("damaged entry trusted: %q", got)
			}
			// The next write replaces it.
			if err := c.Put(k, []byte("fresh")); err != nil {
				t.Fatal(err)
			}
			if got, ok := c.Get(k); !ok || string(got) != "fresh" {
				t.Fatalf("after Put: %q, %v", got, ok)
			}
		})
	}
}

// Writers racing on the same keys never leave a reader a partial entry.
func TestConcurrentWritersAndReaders(t *testing.T) {
	dir := t.TempDir()
	payload := func(i int) []byte { return bytes.Repeat([]byte{byte('a' + i%26)}, 64<<10) }
	keys := []Key{key("a"), key("b"), key("c")}
	var wg sync.WaitGroup
	for w := range 8 {
		c := Open(dir, 0) // each a separate run
		wg.Go(func() {
			for i := range 40 {
				k := keys[(w+i)%len(keys)]
				if err := c.Put(k, payload(int(k[0]))); err != nil {
					t.Error(err)
					return
				}
				if got, ok := c.Get(keys[i%len(keys)]); ok && !bytes.Equal(got, payload(int(keys[i%len(keys)][0]))) {
					t.Errorf("reader saw a partial or wrong entry (%d bytes)", len(got))
					return
				}
			}
		})
	}
	wg.Wait()
	c := Open(dir, 0)
	for _, k := range keys {
		if got, ok := c.Get(k); !ok || !bytes.Equal(got, payload(int(k[0]))) {
			t.Fatalf("entry %s lost or wrong after the race", k)
		}
	}
	leftovers, _ := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if len(leftovers) > 0 {
		t.Fatalf("temporary files left: %v", leftovers)
	}
}

// Over its bound, the cache drops the entries used longest ago.
func TestTrimEvictsLeastRecentlyUsed(t *testing.T) {
	dir := t.TempDir()
	c := Open(dir, 10<<10)
	old := time.Now().Add(-time.Hour)
	var ks []Key
	for i := range 8 {
		k := key("entry", fmt.Sprint(i))
		ks = append(ks, k)
		if err := c.Put(k, bytes.Repeat([]byte("x"), 2<<10)); err != nil {
			t.Fatal(err)
		}
		when := old.Add(time.Duration(i) * time.Minute)
		if err := os.Chtimes(c.path(k), when, when); err != nil {
			t.Fatal(err)
		}
	}
	c.Get(ks[0]) // the oldest, used again: kept
	if err := c.Trim(); err != nil {
		t.Fatal(err)
	}
	var size int64
	var kept []int
	for i, k := range ks {
		if info, err := os.Stat(c.path(k)); err == nil {
			size += info.Size()
			kept = append(kept, i)
		}
	}
	if size > 10<<10 {
		t.Fatalf("cache holds %d bytes, bound 10 KiB", size)
	}
	if len(kept) == 0 || kept[0] != 0 || kept[len(kept)-1] != 7 {
		t.Fatalf("kept entries %v: want the one just used (0) and the newest (7), the others evicted oldest first", kept)
	}
	for i := 1; i < len(kept)-1; i++ {
		if kept[i]+1 != kept[i+1] && kept[i] != 0 {
			t.Fatalf("kept entries %v are not the most recent ones", kept)
		}
	}
}

func TestUnwritableCacheIsNoFailureToRead(t *testing.T) {
	file := filepath.Join(t.TempDir(), "not-a-dir")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	c := Open(filepath.Join(file, "cache"), 0)
	if err := c.Put(key("a"), []byte("x")); err == nil {
		t.Fatal("Put under a file succeeded")
	}
	if _, ok := c.Get(key("a")); ok {
		t.Fatal("hit in an unwritable cache")
	}
}

func TestBuildIsStable(t *testing.T) {
	first, second := Build("v1"), Build("v1")
	if first != second {
		t.Fatal("Build differs between two calls")
	}
	if Build("v1") == Build("v2") {
		t.Fatal("Build ignores the version")
	}
}
