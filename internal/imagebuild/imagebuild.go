package imagebuild

import (
	"archive/tar"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/moby/moby/api/types/build"
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
	Offline    bool      // never pull: missing base images skip the lab
	Log        io.Writer // told each build step as it starts
	// NoCache builds without the engine's build cache (docker build
	// --no-cache). By default a step whose inputs have not changed since
	// an earlier build is taken from BuildKit's cache, as docker build
	// does; the cache outlives the images labcheck removes.
	NoCache bool
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
		if ref, line, what := missingBase(ctx, dc, df); ref != "" {
			why := fmt.Sprintf("%s %s (line %d) is not available locally and --offline forbids pulling it", what, ref, line)
			res.Build, res.NonRoot, res.Size = skipped(why), skipped(why), skipped(why)
			res.Build.Line, res.NonRoot.Line, res.Size.Line = line, line, line
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

// missingBase returns the first image the build needs that is not in the
// engine, its line and what it is for: the Dockerfile frontend a syntax
// directive names (BuildKit runs it; the engine's own frontend is used
// only without one), then each base image.
func missingBase(ctx context.Context, dc *testcontainers.DockerClient, df *dockerfile.Dockerfile) (string, int, string) {
	if df.Syntax != "" {
		if _, err := dc.ImageInspect(ctx, df.Syntax); err != nil {
			return df.Syntax, df.SyntaxLine, "the syntax directive's Dockerfile frontend"
		}
	}
	for _, s := range df.Stages {
		ref := s.Base.Ref()
		if ref == "" {
			continue
		}
		if _, err := dc.ImageInspect(ctx, ref); err != nil {
			return ref, s.Line, "base image"
		}
	}
	return "", 0, ""
}

type builder struct {
	dc     *testcontainers.DockerClient
	o      Options
	df     *dockerfile.Dockerfile
	dir    string
	name   string
	images []string
}

func (b *builder) request(tag, target string) testcontainers.ContainerRequest {
	return testcontainers.ContainerRequest{
		FromDockerfile: testcontainers.FromDockerfile{
			Context:    b.dir,
			Dockerfile: b.name,
			Repo:       "labcheck-verify/" + b.o.RunID,
			Tag:        tag,
			BuildOptionsModifier: func(opts *client.ImageBuildOptions) {
				// BuildKit, as `docker build` uses: a Dockerfile may use
				// what only BuildKit knows (RUN --mount, COPY --link,
				// heredocs), and its cache outlives the images built.
				opts.Version = build.BuilderBuildKit
				opts.Target = target
				opts.NoCache = b.o.NoCache
			},
		},
		Labels: map[string]string{Label: b.o.RunID},
	}
}

// build builds the Dockerfile (up to target, when set) and returns the
// image's tag. A failed build is a failed Check pointing at the step.
// testcontainers-go makes the request (the context, .dockerignore
// honoured, tags and labels); the engine's stream is read here, because
// BuildKit reports its steps in messages testcontainers-go does not show.
func (b *builder) build(ctx context.Context, target, tag string) (string, Check, error) {
	req := b.request(tag, target)
	opts, err := req.BuildOptions()
	if err != nil {
		return "", Check{}, fmt.Errorf("build context %s: %w", b.dir, err)
	}
	if c, ok := opts.Context.(io.Closer); ok {
		defer c.Close()
	}
	bctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	resp, err := b.dc.ImageBuild(bctx, opts.Context, opts)
	if err != nil {
		if ctx.Err() != nil {
			return "", Check{}, context.Cause(ctx)
		}
		return "", Check{}, fmt.Errorf("docker build with BuildKit (Docker 23 or later builds with it by default): %w", err)
	}
	t, err := readTrace(resp.Body, func(step string, cached bool) {
		if b.o.Log != nil {
			from := ""
			if cached {
				from = " (from the build cache)"
			}
			fmt.Fprintf(b.o.Log, "        build: %s%s\n", step, from)
		}
	})
	resp.Body.Close()
	switch {
	case ctx.Err() != nil:
		return "", Check{}, context.Cause(ctx)
	case bctx.Err() != nil:
		return "", Check{Failed: true, Line: firstLine(b.df), Message: "the build did not finish within 15m"}, nil
	case err != nil:
		return "", Check{}, fmt.Errorf("docker build: the engine's answer broke off: %w", err)
	case t.err == "":
		image := opts.Tags[0]
		b.images = append(b.images, image)
		return image, Check{Detail: "built " + b.o.Dockerfile + " with context " + b.dir + " (.dockerignore honoured) by BuildKit"}, nil
	}
	name, output := t.failed()
	line := lineOf(name, b.df)
	why := cause(t.err)
	if (line != 0 && isFromLine(b.df, line) || metadataFor.MatchString(name)) && registryUnreachable(why+"\n"+output) {
		if line == 0 {
			line = firstLine(b.df)
		}
		return "", Check{Unjudged: true, Line: line, Message: fmt.Sprintf("not judged: the base image at %s could not be pulled because its registry could not be reached (%s); that says nothing about the Dockerfile: retry, or run with --offline and the base images loaded locally", describeStep(name, line), firstLineOf(why))}, nil
	}
	msg := fmt.Sprintf("docker build failed at %s: %s", describeStep(name, line), why)
	if tail := lastLines(cleanLog(output), 8); tail != "" {
		msg += "\n  build output (last lines):\n" + indent(tail, "    ")
	}
	if line == 0 {
		line = firstLine(b.df)
	}
	return "", Check{Failed: true, Line: line, Message: msg}, nil
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

// runNonRoot runs the image locked down and reads the uid its program
// runs as. Stdin is held open (as `docker run -i`), so a batch job that
// reads its input waits and is observed like a server. A program that
// exits before it can be observed is judged by the image's own user,
// resolved through the image's /etc/passwd and /etc/group (read from the
// container's file system: no shell is needed in the image). An image
// that cannot start fails, saying why.
func (b *builder) runNonRoot(ctx context.Context, image string) (Check, error) {
	rctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	c, err := testcontainers.GenericContainer(rctx, testcontainers.GenericContainerRequest{
		ContainerRequest: testcontainers.ContainerRequest{
			Image:  image,
			Labels: map[string]string{Label: b.o.RunID},
			ConfigModifier: func(cfg *container.Config) {
				cfg.OpenStdin, cfg.StdinOnce = true, false
			},
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
	user := b.imageUser(rctx, image)
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
		return b.exited(rctx, c, id, user, err), nil
	}
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

// exited judges a container whose processes could not be read because
// its program finished: a batch job that exits is a valid image, and the
// uid it ran as is the image's user. A program the runtime could not start
// (126, 127) or a container whose state cannot be read fails.
func (b *builder) exited(ctx context.Context, c testcontainers.Container, id, user string, cause error) Check {
	st, err := c.State(ctx)
	if err != nil || st.Running {
		return Check{Failed: true, Line: b.userLine(), Message: "could not observe the container's user: " + cause.Error() + b.output(ctx, c)}
	}
	if st.ExitCode == 126 || st.ExitCode == 127 || st.Error != "" {
		why := st.Error
		if why == "" {
			why = fmt.Sprintf("exit code %d: the entrypoint could not be executed", st.ExitCode)
		}
		return Check{Failed: true, Line: b.userLine(), Message: "the image does not start: " + why + b.output(ctx, c)}
	}
	passwd, _ := b.readFile(ctx, id, "/etc/passwd")
	group, _ := b.readFile(ctx, id, "/etc/group")
	uid, gid, err := ResolveUser(user, passwd, group)
	if err != nil {
		return Check{Failed: true, Line: b.userLine(), Message: fmt.Sprintf("the program exited (code %d) before its process could be observed, and the image's USER %q cannot be resolved in the image: %v", st.ExitCode, user, err)}
	}
	how := fmt.Sprintf("the program exited with code %d within 1.5 s (a batch job), so its user is the image's: USER %q", st.ExitCode, user)
	if user == "" {
		how = fmt.Sprintf("the program exited with code %d within 1.5 s (a batch job), so its user is the image's, and the image sets no USER", st.ExitCode)
	}
	if uid == "0" {
		return Check{Failed: true, Line: b.userLine(), Message: how + ", which is uid 0 (root); add a USER with a non-zero uid to the final stage"}
	}
	return Check{Detail: fmt.Sprintf("%s is uid %s, gid %s (resolved through the image's /etc/passwd and /etc/group)", how, uid, gid)}
}

// output is a finished container's last log lines, as a message suffix.
func (b *builder) output(ctx context.Context, c testcontainers.Container) string {
	rc, err := c.Logs(ctx)
	if err != nil {
		return ""
	}
	defer rc.Close()
	raw, _ := io.ReadAll(io.LimitReader(rc, 64<<10))
	if tail := lastLines(string(raw), 8); tail != "" {
		return "\n  container output (last lines):\n" + indent(tail, "    ")
	}
	return ""
}

// readFile reads one file of a (stopped) container's file system.
func (b *builder) readFile(ctx context.Context, id, path string) ([]byte, error) {
	res, err := b.dc.CopyFromContainer(ctx, id, client.CopyFromContainerOptions{SourcePath: path})
	if err != nil {
		return nil, err
	}
	defer res.Content.Close()
	tr := tar.NewReader(res.Content)
	for {
		h, err := tr.Next()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		if h.Typeflag == tar.TypeReg {
			return io.ReadAll(io.LimitReader(tr, 1<<20))
		}
	}
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
