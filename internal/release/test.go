package release

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

	"helm.sh/helm/v3/pkg/action"
	helmrelease "helm.sh/helm/v3/pkg/release"
	"sigs.k8s.io/yaml"

	"github.com/labcheck/labcheck/internal/deploy"
)

// testTimeout bounds `helm test`.
const testTimeout = 3 * time.Minute

// Test runs the release's test hooks (`helm test`), after pointing their
// images at side-loaded ones (Helm does not post-render hooks).
func (in *Installer) Test(ctx context.Context) (Check, error) {
	if in.rel == nil {
		return Check{Skipped: true, Message: "the chart was not installed"}, nil
	}
	var tests []*helmrelease.Hook
	for _, h := range in.rel.Hooks {
		if slices.Contains(h.Events, helmrelease.HookTest) {
			tests = append(tests, h)
		}
	}
	if len(tests) == 0 {
		return in.noTests(), nil
	}
	var missing []string
	for _, h := range tests {
		img, err := in.adaptHook(h)
		if err != nil {
			return Check{}, err
		}
		for _, i := range img {
			if in.o.Offline && in.o.HasImage != nil && !in.o.HasImage(i) {
				missing = append(missing, i)
			}
		}
	}
	if len(missing) > 0 {
		return Check{Skipped: true, Message: fmt.Sprintf("test hook image %s is not in the cluster and --offline forbids pulling it (side-load one with --load-image)", strings.Join(missing, ", "))}, nil
	}
	if err := in.cfg.Releases.Update(in.rel); err != nil {
		return Check{}, fmt.Errorf("helm: update release %s: %w", in.rel.Name, err)
	}
	rt := action.NewReleaseTesting(in.cfg)
	rt.Namespace, rt.Timeout = in.o.Namespace, testTimeout
	start := time.Now()
	_, err := rt.Run(in.rel.Name)
	if ctx.Err() != nil {
		return Check{}, context.Cause(ctx)
	}
	var names []string
	for _, h := range tests {
		names = append(names, h.Name)
	}
	if err != nil {
		return Check{Failed: true, Notes: in.testFailure(ctx, tests, err)}, nil
	}
	return Check{Detail: fmt.Sprintf("helm test: %s passed in %s", strings.Join(names, ", "), time.Since(start).Round(time.Second))}, nil
}

// noTests is DYN-021's failure for a chart without test hooks: `helm
// test` would have nothing to run, so nothing proves the installed
// release works. That is the chart's gap (it costs the points), not the
// environment's.
func (in *Installer) noTests() Check {
	return Check{Failed: true, Notes: []deploy.Note{{
		File: in.chartFile("Chart.yaml"), Line: 1,
		Message: "the chart has no test hooks: `helm test` has nothing to run, so nothing proves the installed release serves requests; " +
			"add templates/tests/test-connection.yaml, a Pod annotated `helm.sh/hook: test` that requests MinIO's /minio/health/live through the chart's Service and exits 0 when it answers 200",
	}}}
}

// adaptHook substitutes side-loaded images in a hook's manifest and
// returns the images it runs.
func (in *Installer) adaptHook(h *helmrelease.Hook) ([]string, error) {
	objs, notes := in.objects("# Source: " + h.Path + "\n" + h.Manifest)
	if len(notes) > 0 || len(objs) != 1 {
		return nil, nil
	}
	o := objs[0]
	if len(in.o.Adapter.SubstituteImages(objs)) > 0 {
		data, err := yaml.Marshal(o.Object)
		if err != nil {
			return nil, fmt.Errorf("hook %s: %w", h.Name, err)
		}
		h.Manifest = string(data)
	}
	return o.Images(), nil
}

// testFailure explains a failed test hook with its pod's state, events and
// last log lines.
func (in *Installer) testFailure(ctx context.Context, tests []*helmrelease.Hook, err error) []deploy.Note {
	var out []deploy.Note
	for _, h := range tests {
		file := in.chartFile(strings.TrimPrefix(h.Path, in.chart.Name()+"/"))
		var b strings.Builder
		fmt.Fprintf(&b, "helm test hook %s failed: %v", h.Name, err)
		if h.Kind == "Pod" {
			in.describePod(ctx, &b, h.Name)
		}
		out = append(out, deploy.Note{File: file, Line: kindLine(in.files[strings.TrimPrefix(h.Path, in.chart.Name()+"/")], h.Kind), Message: b.String()})
	}
	return out
}

func (in *Installer) describePod(ctx context.Context, b *strings.Builder, name string) {
	kube := in.o.Clients.Kube
	pod, err := kube.CoreV1().Pods(in.o.Namespace).Get(ctx, name, metav1.GetOptions{})
	if err != nil {
		return
	}
	fmt.Fprintf(b, "\n  pod %s: %s", name, pod.Status.Phase)
	for _, cs := range pod.Status.ContainerStatuses {
		if w := cs.State.Waiting; w != nil {
			fmt.Fprintf(b, "; container %s waiting: %s %s", cs.Name, w.Reason, w.Message)
		}
		if t := cs.State.Terminated; t != nil {
			fmt.Fprintf(b, "; container %s exited %d (%s)", cs.Name, t.ExitCode, t.Reason)
		}
	}
	if evs, err := kube.CoreV1().Events(in.o.Namespace).List(ctx, metav1.ListOptions{FieldSelector: "involvedObject.name=" + name}); err == nil {
		for _, e := range evs.Items {
			if e.Type == corev1.EventTypeWarning {
				fmt.Fprintf(b, "\n  event: %s %s", e.Reason, strings.TrimSpace(e.Message))
			}
		}
	}
	tail := int64(12)
	if raw, err := kube.CoreV1().Pods(in.o.Namespace).GetLogs(name, &corev1.PodLogOptions{TailLines: &tail}).Do(ctx).Raw(); err == nil && len(raw) > 0 {
		b.WriteString("\n  logs (last lines):\n    " + strings.ReplaceAll(strings.TrimRight(string(raw), "\n"), "\n", "\n    "))
	}
}

// Uninstall removes the release and its namespace (bounded); the cluster
// is thrown away anyway, this only frees its resources for what follows.
func (in *Installer) Uninstall(ctx context.Context) error {
	if in.rel == nil {
		return nil
	}
	u := action.NewUninstall(in.cfg)
	u.Timeout = time.Minute
	_, err := u.Run(in.rel.Name)
	return err
}
