package imagebuild

import (
	"context"
	"fmt"
	"slices"

	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
)

// Cleanup removes the containers and images labelled by runs that are
// gone (live reports whether a run still holds its lock) and returns what
// it removed. BuildKit builds make no other image: every one is labelled.
func Cleanup(ctx context.Context, live func(runID string) bool) ([]string, error) {
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
	slices.Sort(removed)
	return removed, nil
}
