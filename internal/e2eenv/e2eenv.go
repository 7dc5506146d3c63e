// Package e2eenv readies, for labcheck's end-to-end tests, the offline kind
// environment that `make e2e-env` builds (test/e2e/README.md): the Docker
// engine, the kind node image, the MinIO image and the firewalled network,
// through the e2e scripts' own functions.
package e2eenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// Env is what the tests run against.
type Env struct {
	NodeImage  string // the kind node image
	MinIOImage string // the MinIO image, in the engine
	Network    string // the Docker network kind's nodes join (KIND_EXPERIMENTAL_DOCKER_NETWORK)
}

// Root is the repository's root.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Clean(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Ready starts the engine if need be and readies the images and the
// network. It skips t, saying why, where the environment is not built.
func Ready(t testing.TB) Env {
	t.Helper()
	cache := os.Getenv("LABCHECK_E2E_CACHE")
	if cache == "" {
		home, _ := os.UserHomeDir()
		cache = filepath.Join(home, ".cache", "labcheck-e2e")
	}
	if _, err := os.Stat(filepath.Join(cache, "ready.env")); err != nil {
		t.Skipf("the offline kind environment is not built (%v): run make e2e-env", err)
	}
	cmd := exec.Command("bash", "-c", `set -e
source test/e2e/lib.sh
set -a; source "$E2E_READY"; set +a
start_dockerd >&2
docker_import "$LABCHECK_E2E_NODE_IMAGE" "$LABCHECK_E2E_NODE_KEY" "$LABCHECK_E2E_NODE_TAR" "${NODE_IMAGE_CHANGES[@]}" >&2
docker image inspect "$LABCHECK_E2E_MINIO_IMAGE" >/dev/null 2>&1 || docker load -i "$LABCHECK_E2E_MINIO_TAR" >&2
ensure_e2e_network >&2
echo "$LABCHECK_E2E_NODE_IMAGE"
echo "$LABCHECK_E2E_MINIO_IMAGE"
echo "$KIND_EXPERIMENTAL_DOCKER_NETWORK"`)
	cmd.Dir, cmd.Stderr = Root(), os.Stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("preparing the e2e environment: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 3 {
		t.Fatalf("preparing the e2e environment printed %q", out)
	}
	return Env{NodeImage: f[0], MinIOImage: f[1], Network: f[2]}
}
