package imagebuild

import (
	"context"
	"fmt"
	"slices"

	cerrdefs "github.com/containerd/errdefs"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// Cleanup removes the containers and images labelled by runs that are
// gone (live reports whether a run still holds its lock), and the images
// that gone runs recorded in their journals (journals: run id -> image
// ids in the order made: a build's unlabelled intermediate images), and
// returns what it removed. forget is called for each journal whose images
// are all gone.
func Cleanup(ctx context.Context, live func(runID string) bool, journals map[string][]string, forget func(runID string)) ([]string, error) {
	dc, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	defer dc.Close()
	f := client.Filters{}.Add("label", Label)
	var removed []string
	cs, err := dc.ContainerList(ctx, client.ContainerListOptions{All: true, Filters: f})
	if err != nil {
		return nil, fmt.Errorf("list containers: %w", err)
	}
	for _, c := range cs.Items {
		if live(c.Labels[Label]) {
			continue
		}
		if _, err := dc.ContainerRemove(ctx, c.ID, client.ContainerRemoveOptions{Force: true, RemoveVolumes: true}); err != nil {
			return removed, fmt.Errorf("remove container %s: %w", c.ID[:12], err)
		}
		removed = append(removed, "container "+c.ID[:12])
	}
	imgs, err := dc.ImageList(ctx, client.ImageListOptions{Filters: f})
	if err != nil {
		return removed, fmt.Errorf("list images: %w", err)
	}
	for _, img := range imgs.Items {
		if live(img.Labels[Label]) {
			continue
		}
		if _, err := dc.ImageRemove(ctx, img.ID, client.ImageRemoveOptions{Force: true, PruneChildren: true}); err != nil {
			return removed, fmt.Errorf("remove image %s: %w", img.ID, err)
		}
		name := img.ID
		if len(img.RepoTags) > 0 {
			name = img.RepoTags[0]
		}
		removed = append(removed, "image "+name)
	}
	runs := make([]string, 0, len(journals))
	for run := range journals {
		runs = append(runs, run)
	}
	slices.Sort(runs)
	for _, run := range runs {
		ids := journals[run]
		ok := true
		for i := len(ids) - 1; i >= 0; i-- { // children before parents
			_, err := dc.ImageRemove(ctx, ids[i], client.ImageRemoveOptions{PruneChildren: true})
			switch {
			case err == nil:
				removed = append(removed, "image "+ids[i]+" (an intermediate image of run "+run+")")
			case !cerrdefs.IsNotFound(err):
				ok = false
			}
		}
		if ok && forget != nil {
			forget(run)
		}
	}
	slices.Sort(removed)
	return removed, nil
}
