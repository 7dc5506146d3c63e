package verify

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestOfflineRecipeRuns: the offline recipe in docs/verify.md names the
// images make e2e-env builds (the versions and names test/e2e/lib.sh sets,
// the curl image env.sh builds, the Go image images.sh makes) and survives
// being pasted: every line of a continued command ends in a backslash, and
// no comment sits inside it.
func TestOfflineRecipeRuns(t *testing.T) {
	read := func(p string) string {
		data, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	doc, lib, images, env := read("docs/verify.md"), read("test/e2e/lib.sh"), read("test/e2e/images.sh"), read("test/e2e/env.sh")
	i := strings.Index(doc, "labcheck verify --offline")
	if i < 0 {
		t.Fatal("docs/verify.md has no offline recipe")
	}
	start := strings.LastIndex(doc[:i], "```sh\n")
	end := strings.Index(doc[i:], "```")
	recipe := doc[start+len("```sh\n") : i+end]
	version := func(name string) string {
		m := regexp.MustCompile(`(?m)^` + name + `=(\S+)`).FindStringSubmatch(lib)
		if m == nil {
			t.Fatalf("test/e2e/lib.sh sets no %s", name)
		}
		return m[1]
	}
	for _, want := range []string{
		"labcheck.local/kind-node:" + version("K8S_VERSION"),
		"labcheck.local/minio:" + version("MINIO_MODULE_VERSION") + "=",
		"labcheck.local/e2e-curl:1=",
		"KIND_EXPERIMENTAL_DOCKER_NETWORK=labcheck-e2e",
	} {
		if !strings.Contains(recipe, want) {
			t.Errorf("the recipe lacks %q:\n%s", want, recipe)
		}
	}
	for _, img := range []string{"CURL_IMAGE=labcheck.local/e2e-curl:1", "GO_BASE_IMAGE=labcheck.local/e2e-golang:local"} {
		name := img[strings.Index(img, "=")+1:]
		if !strings.Contains(lib+images, img) || !strings.Contains(doc, name) {
			t.Errorf("%s: not set by test/e2e/lib.sh or images.sh, or not named in docs/verify.md", img)
		}
	}
	if !strings.Contains(env, `binimage "$CURL_IMAGE"`) {
		t.Error("test/e2e/env.sh does not build $CURL_IMAGE")
	}
	if strings.Contains(recipe, "--kind-config") {
		t.Error("the recipe passes --kind-config: the node image's own pod network needs none")
	}
	lines := strings.Split(strings.TrimRight(recipe, "\n"), "\n")
	continued := false
	for n, l := range lines {
		if continued && strings.Contains(l, "#") {
			t.Errorf("line %d: a comment inside a continued command ends it when pasted: %q", n+1, l)
		}
		continued = strings.HasSuffix(l, "\\")
		if strings.HasPrefix(strings.TrimSpace(l), "--") && n > 0 && !strings.HasSuffix(lines[n-1], "\\") {
			t.Errorf("line %d continues a command whose previous line has no backslash: %q", n+1, l)
		}
	}
	if continued {
		t.Error("the recipe's last line ends in a backslash")
	}
}
