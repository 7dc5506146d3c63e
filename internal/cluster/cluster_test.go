package cluster

import (
	"strings"
	"testing"
)

func TestNames(t *testing.T) {
	n := NewName()
	if !namePattern.MatchString(n) || !strings.HasPrefix(n, Prefix) {
		t.Errorf("NewName() = %q", n)
	}
	for _, other := range []string{"labcheck-e2e-0123abcd", "labcheck-0123abc", "kind", "labcheck-0123ABCD", "mylabcheck-0123abcd"} {
		if namePattern.MatchString(other) {
			t.Errorf("cleanup would remove %q, which labcheck-verify never creates", other)
		}
	}
}

func TestConfig(t *testing.T) {
	got := string(Config(2))
	if strings.Count(got, "role: worker") != 2 || strings.Count(got, "role: control-plane") != 1 {
		t.Errorf("Config(2):\n%s", got)
	}
}

func TestLocks(t *testing.T) {
	name := NewName()
	if InUse(name) {
		t.Fatalf("%s in use before it was locked", name)
	}
	l, err := LockRun(name)
	if err != nil {
		t.Fatal(err)
	}
	if !InUse(name) {
		t.Errorf("%s not in use while locked", name)
	}
	l.Release()
	if InUse(name) {
		t.Errorf("%s still in use after Release", name)
	}
}
