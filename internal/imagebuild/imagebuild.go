package imagebuild

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tclog "github.com/testcontainers/testcontainers-go/log"

	"github.com/labcheck/labcheck/internal/parse/dockerfile"
)

// Label marks every image and container labcheck-verify makes, with the
// run's id as value, so that --cleanup finds what a killed run left.
const Label = "dev.labcheck.verify"

// Options say what to build and how.
type Options struct {
	Dockerfile string // the Dockerfile, as the user would type its path
	Data       []byte // its content (already read by discovery)
	RunID      string
	Offline    bool // never pull: missing base images skip the lab
	Log        io.Writer
}

// Check is one graded outcome of the lab.
type Check struct {
	Skipped bool
	Failed  bool
	// Unjudged: the environment kept the check from judging the
	// Dockerfile (the registry of a base image could not be reached). It
	// says nothing about the student's work.
	Unjudged bool
	Line     int    // where in the Dockerfile a failure points
	Message  string // the student-facing finding (failed), or why it was skipped
	Detail   string // what was proven
	Took     time.Duration
}

// Result is Lab 1's three checks.
type Result struct {
	Build, NonRoot, Size Check
	FinalBytes           int64
	BuilderBytes         int64
	BuilderStage         string
}

func init() {
	// Ryuk, testcontainers' garbage collector, is an image that may not be
	// pullable; labcheck removes what it makes itself (and --cleanup what a
	// killed run left). The setting is read once, on testcontainers' first
	// use, so it must be in place before that.
	if os.Getenv("TESTCONTAINERS_RYUK_DISABLED") == "" {
		os.Setenv("TESTCONTAINERS_RYUK_DISABLED", "true")
	}
	tclog.SetDefault(tclog.NewNoopLogger())
}

// Run builds, runs and measures the image. err means Docker itself failed
// (no engine, the run cancelled); a student's broken build is a Check.
func Run(ctx context.Context, o Options) (Result, error) {
	var res Result
	df := dockerfile.Parse(o.Dockerfile, o.Data)
	if len(df.Problems) > 0 || len(df.Stages) == 0 {
		msg := "the Dockerfile does not parse"
		if len(df.Problems) > 0 {
			msg += ": " + df.Problems[0].Message
		}
		res.Build = Check{Skipped: true, Message: msg + " (see DOCKER-000)"}
		res.NonRoot, res.Size = skipped("the image was not built"), skipped("the image was not built")
		return res, nil
	}
	dc, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return res, fmt.Errorf("docker client: %w", err)
	}
	defer dc.Close()
	if _, err := dc.Ping(ctx, client.PingOptions{}); err != nil {
		return res, fmt.Errorf("no Docker engine answers: %w", err)
	}
	if o.Offline {
		if ref, line := missingBase(ctx, dc, df); ref != "" {
			why := fmt.Sprintf("base image %s (line %d) is not available locally and --offline forbids pulling it", ref, line)
			res.Build, res.NonRoot, res.Size = skipped(why), skipped(why), skipped(why)
			return res, nil
		}
	}
	b := &builder{dc: dc, o: o, df: df, dir: filepath.Dir(o.Dockerfile), name: filepath.Base(o.Dockerfile)}
	defer b.removeImages()
	t0 := time.Now()
	final, check, err := b.build(ctx, "", "final")
	if err != nil {
		return res, err
	}
	res.Build = check
	res.Build.Took = time.Since(t0)
	if check.Failed || check.Unjudged {
		res.NonRoot, res.Size = skipped("the image did not build"), skipped("the image did not build")
		return res, nil
	}
	t0 = time.Now()
	res.NonRoot, err = b.runNonRoot(ctx, final)
	if err != nil {
		return res, err
	}
	res.NonRoot.Took = time.Since(t0)
	t0 = time.Now()
	res.Size, res.FinalBytes, res.BuilderBytes, res.BuilderStage, err = b.compareSizes(ctx, final)
	res.Size.Took = time.Since(t0)
	return res, err
}

func skipped(why string) Check { return Check{Skipped: true, Message: why} }

// missingBase returns the first base image that is not in the engine.
func missingBase(ctx context.Context, dc *testcontainers.DockerClient, df *dockerfile.Dockerfile) (string, int) {
	for _, s := range df.Stages {
		if s.Base.Scratch || s.Base.Stage || s.Base.Image == "" {
			continue
		}
		ref := s.Base.Image
		if s.Base.Tag != "" {
			ref += ":" + s.Base.Tag
		}
		if s.Base.Digest != "" {
			ref += "@" + s.Base.Digest
		}
		if _, err := dc.ImageInspect(ctx, ref); err != nil {
			return ref, s.Line
		}
	}
	return "", 0
}

type builder struct {
	dc     *testcontainers.DockerClient
	o      Options
	df     *dockerfile.Dockerfile
	dir    string
	name   string
	images []string
}

func (b *builder) request(tag, target string, log io.Writer) testcontainers.ContainerRequest {
	return testcontainers.ContainerRequest{
		FromDockerfile: testcontainers.FromDockerfile{
			Context:        b.dir,
			Dockerfile:     b.name,
			Repo:           "labcheck-verify/" + b.o.RunID,
			Tag:            tag,
			BuildLogWriter: log,
			BuildOptionsModifier: func(opts *client.ImageBuildOptions) {
				opts.Target = target
			},
		},
		Labels: map[string]string{Label: b.o.RunID},
	}
}

// build builds the Dockerfile (up to target, when set) and returns the
// image's tag. A failed build is a failed Check pointing at the step.
func (b *builder) build(ctx context.Context, target, tag string) (string, Check, error) {
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return "", Check{}, fmt.Errorf("docker provider: %w", err)
	}
	defer p.Close()
	var log bytes.Buffer
	req := b.request(tag, target, &log)
	bctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	image, err := p.BuildImage(bctx, &req)
	if err == nil {
		b.images = append(b.images, image)
		return image, Check{Detail: "built " + b.o.Dockerfile + " with context " + b.dir + " (.dockerignore honoured)"}, nil
	}
	if ctx.Err() != nil {
		return "", Check{}, context.Cause(ctx)
	}
	if bctx.Err() != nil {
		return "", Check{Failed: true, Line: 1, Message: "the build did not finish within 15m"}, nil
	}
	if isEngineError(err) {
		return "", Check{}, fmt.Errorf("docker build: %w", err)
	}
	out := cleanLog(log.String())
	b.removeIntermediate(out)
	step, line := failingStep(out, b.o.Data, b.df)
	cause := strings.TrimSpace(strings.TrimPrefix(err.Error(), "build image: "))
	if isFromLine(b.df, line) && registryUnreachable(cause+"\n"+out) {
		return "", Check{Unjudged: true, Line: line, Message: fmt.Sprintf("not judged: the base image of %s could not be pulled because its registry could not be reached (%s); that says nothing about the Dockerfile: retry, or run with --offline and the base images loaded locally", step, firstLineOf(cause))}, nil
	}
	msg := fmt.Sprintf("docker build failed at %s: %s", step, cause)
	if tail := lastLines(buildOutput(out), 8); tail != "" {
		msg += "\n  build output (last lines):\n" + indent(tail, "    ")
	}
	return "", Check{Failed: true, Line: line, Message: msg}, nil
}

// buildOutput keeps what the steps printed, not the builder's own
// bookkeeping (intermediate containers and layer ids).
func buildOutput(log string) string {
	var keep []string
	for _, l := range strings.Split(log, "\n") {
		t := strings.TrimSpace(l)
		if strings.HasPrefix(t, "---> ") || strings.HasPrefix(t, "Removing intermediate container") || t == "" {
			continue
		}
		keep = append(keep, strings.TrimRight(l, "\r "))
	}
	return strings.Join(keep, "\n")
}

// isEngineError tells the engine failing from the Dockerfile failing.
// isEngineError reports whether Docker itself failed (not the build). A
// refused connection counts only on the engine's own socket: a registry
// that refuses is the build's problem (see registryUnreachable).
func isEngineError(err error) bool {
	s := err.Error()
	return strings.Contains(s, "Cannot connect to the Docker daemon") || strings.Contains(s, "dial unix") || errors.Is(err, context.Canceled)
}

// unreachable matches what the engine says when a registry cannot be
// reached or will not serve now: DNS, connection and TLS failures,
// timeouts, rate limits and 5xx answers. A missing image or tag ("not
// found", "manifest unknown") is the Dockerfile's mistake and is not here.
var unreachable = regexp.MustCompile(`(?i)dial tcp|no such host|i/o timeout|tls handshake timeout|connection (refused|reset)|network is unreachable|temporary failure in name resolution|toomanyrequests|too many requests|service unavailable|bad gateway|gateway time-?out|internal server error`)

func registryUnreachable(s string) bool { return unreachable.MatchString(s) }

// isFromLine reports whether line holds a FROM: the step that pulls.
func isFromLine(df *dockerfile.Dockerfile, line int) bool {
	for _, s := range df.Stages {
		if s.Line == line {
			return true
		}
	}
	return false
}

func firstLineOf(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// runNonRoot runs the image locked down and reads the uid of its processes.
func (b *builder) runNonRoot(ctx context.Context, image string) (Check, error) {
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	c, err := testcontainers.GenericContainer(rctx, testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			Image:  image,
			Labels: map[string]string{Label: b.o.RunID},
			HostConfigModifier: func(hc *container.HostConfig) {
				hc.NetworkMode = "none"
				hc.CapDrop = []string{"ALL"}
				hc.SecurityOpt = []string{"no-new-privileges"}
				hc.Resources.Memory = 512 << 20
				pids := int64(256)
				hc.Resources.PidsLimit = &pids
			},
		},
		Started: true,
	})
	if c != nil {
		defer func() { _ = testcontainers.TerminateContainer(c) }()
	}
	if err != nil {
		if ctx.Err() != nil {
			return Check{}, context.Cause(ctx)
		}
		return Check{Failed: true, Line: b.userLine(), Message: "the image does not start: " + err.Error()}, nil
	}
	time.Sleep(1500 * time.Millisecond) // let the entrypoint exec its program
	id := c.GetContainerID()
	uids, err := b.processUIDs(rctx, id)
	if err != nil {
		return b.exited(rctx, c, id, err), nil
	}
	user := b.imageUser(rctx, image)
	for _, u := range uids {
		if u.uid == "0" {
			return Check{Failed: true, Line: b.userLine(), Message: fmt.Sprintf("the container's process %q runs as uid 0 (root); the image's USER is %q", u.cmd, user)}, nil
		}
	}
	return Check{Detail: fmt.Sprintf("ran without network or capabilities: %s (image USER %q)", describe(uids), user)}, nil
}

type proc struct{ uid, cmd string }

func describe(ps []proc) string {
	var s []string
	for _, p := range ps {
		s = append(s, fmt.Sprintf("%q as uid %s", p.cmd, p.uid))
	}
	return strings.Join(s, ", ")
}

// processUIDs lists the container's processes with their uid, as the
// engine's `docker top` sees them.
func (b *builder) processUIDs(ctx context.Context, id string) ([]proc, error) {
	top, err := b.dc.ContainerTop(ctx, id, client.ContainerTopOptions{Arguments: []string{"-o", "pid,uid,args"}})
	if err != nil {
		return nil, err
	}
	uidCol, cmdCol := -1, -1
	for i, t := range top.Titles {
		switch strings.ToUpper(t) {
		case "UID":
			uidCol = i
		case "COMMAND", "ARGS", "CMD":
			cmdCol = i
		}
	}
	if uidCol < 0 || len(top.Processes) == 0 {
		return nil, fmt.Errorf("docker top shows no processes (titles %v)", top.Titles)
	}
	var out []proc
	for _, p := range top.Processes {
		pr := proc{uid: p[uidCol]}
		if cmdCol >= 0 && cmdCol < len(p) {
			pr.cmd = p[cmdCol]
		}
		out = append(out, pr)
	}
	return out, nil
}

// exited explains a container whose processes could not be read: it most
// likely exited, and its logs say why.
func (b *builder) exited(ctx context.Context, c testcontainers.Container, id string, cause error) Check {
	msg := "could not observe the container's user: " + cause.Error()
	if st, err := c.State(ctx); err == nil && !st.Running {
		msg = fmt.Sprintf("the container exited with code %d before its user could be observed (an image graded here must keep running, like the lab's server)", st.ExitCode)
	}
	if rc, err := c.Logs(ctx); err == nil {
		raw, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
		rc.Close()
		if tail := lastLines(string(raw), 8); tail != "" {
			msg += "\n  container output (last lines):\n" + indent(tail, "    ")
		}
	}
	return Check{Failed: true, Line: b.userLine(), Message: msg}
}

func (b *builder) imageUser(ctx context.Context, image string) string {
	ii, err := b.dc.ImageInspect(ctx, image)
	if err != nil || ii.Config == nil {
		return ""
	}
	return ii.Config.User
}

// userLine is the final stage's last USER instruction, else its FROM.
func (b *builder) userLine() int {
	final := b.df.Stages[len(b.df.Stages)-1]
	line := final.Line
	for _, in := range final.Instructions {
		if in.Cmd == "user" {
			line = in.Line
		}
	}
	return line
}

// compareSizes builds the builder stage (from cache: it was just built)
// and compares sizes.
func (b *builder) compareSizes(ctx context.Context, final string) (Check, int64, int64, string, error) {
	finalSize, err := b.size(ctx, final)
	if err != nil {
		return Check{}, 0, 0, "", err
	}
	stage, line := builderStage(b.df)
	if stage == "" {
		return Check{Skipped: true, Message: "one stage only: no builder stage to compare with (see DOCKER-004)"}, finalSize, 0, "", nil
	}
	img, check, err := b.build(ctx, stage, "builder")
	if err != nil {
		return Check{}, finalSize, 0, stage, err
	}
	if check.Failed {
		return Check{Skipped: true, Message: "builder stage " + stage + " did not build alone: " + check.Message}, finalSize, 0, stage, nil
	}
	builderSize, err := b.size(ctx, img)
	if err != nil {
		return Check{}, finalSize, 0, stage, err
	}
	detail := fmt.Sprintf("final image %s, builder stage %q %s (%.0f%%)", human(finalSize), stage, human(builderSize), 100*float64(finalSize)/float64(max(builderSize, 1)))
	if finalSize >= builderSize {
		return Check{Failed: true, Line: line, Message: detail + ": the final image is not smaller than the stage that builds it; copy only the artifact into a small base"}, finalSize, builderSize, stage, nil
	}
	return Check{Detail: detail}, finalSize, builderSize, stage, nil
}

// builderStage is the stage the final stage copies from (the first
// COPY --from naming an earlier stage), else the first of several stages.
// Unnamed stages cannot be a build target, so they are referred to by
// index only when named.
func builderStage(df *dockerfile.Dockerfile) (string, int) {
	if len(df.Stages) < 2 {
		return "", 0
	}
	final := df.Stages[len(df.Stages)-1]
	for _, in := range final.Instructions {
		if in.Cmd != "copy" {
			continue
		}
		for _, f := range in.Flags {
			from, ok := strings.CutPrefix(f, "--from=")
			if !ok {
				continue
			}
			for _, s := range df.Stages[:len(df.Stages)-1] {
				if strings.EqualFold(s.Name, from) || fmt.Sprint(s.Index) == from {
					if s.Name == "" {
						return "", 0
					}
					return s.Name, final.Line
				}
			}
		}
	}
	if df.Stages[0].Name != "" {
		return df.Stages[0].Name, final.Line
	}
	return "", 0
}

func (b *builder) size(ctx context.Context, image string) (int64, error) {
	ii, err := b.dc.ImageInspect(ctx, image)
	if err != nil {
		return 0, fmt.Errorf("inspect %s: %w", image, err)
	}
	return ii.Size, nil
}

// removeIntermediate deletes the images a failed build made for the steps
// that succeeded (a successful build's are pruned with its image). Base
// images and steps taken from an earlier build's cache are not this
// build's and stay.
func (b *builder) removeIntermediate(log string) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	ids := intermediateImages(log)
	for i := len(ids) - 1; i >= 0; i-- {
		_, _ = b.dc.ImageRemove(ctx, ids[i], client.ImageRemoveOptions{})
	}
}

// removeImages deletes the images this run built, whatever happened.
func (b *builder) removeImages() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for _, img := range b.images {
		_, _ = b.dc.ImageRemove(ctx, img, client.ImageRemoveOptions{Force: true, PruneChildren: true})
	}
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%.0f KiB", float64(n)/(1<<10))
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	var keep []string
	for _, l := range lines {
		if strings.TrimSpace(l) != "" {
			keep = append(keep, strings.TrimRight(l, "\r"))
		}
	}
	if len(keep) > n {
		keep = keep[len(keep)-n:]
	}
	return strings.Join(keep, "\n")
}

func indent(s, prefix string) string {
	return prefix + strings.ReplaceAll(s, "\n", "\n"+prefix)
}
