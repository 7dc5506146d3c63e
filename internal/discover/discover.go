package discover

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"helm.sh/helm/v3/pkg/ignore"

	"github.com/labcheck/labcheck/internal/finding"
)

// Kind is what a discovered file is to labcheck.
type Kind int

// Kinds of files.
const (
	Dockerfile   Kind = iota + 1 // a Dockerfile or Containerfile
	Manifest                     // a YAML file of Kubernetes or Istio objects
	DockerIgnore                 // a .dockerignore
	BuildScript                  // build.sh, the Docker lab's build script
	ChartFile                    // a file inside a Helm chart
)

// Limits bound what a walk reads.
type Limits struct {
	MaxFileSize int64 // bytes; larger files are reported, not read
	MaxFiles    int   // entries walked before the walk stops
}

// DefaultLimits are the SPEC's defaults.
var DefaultLimits = Limits{MaxFileSize: 1 << 20, MaxFiles: 20000}

// File is one discovered file with its content.
type File struct {
	Path string      // as the user would type it: the argument joined with Rel
	Rel  string      // slash-separated, relative to the tree's root
	Kind Kind        // what the file is
	Lab  finding.Lab // the lab it belongs to
	Data []byte      // the content (nil for a DockerIgnore, whose presence is what matters)
}

// Chart is a folder holding Chart.yaml, with every file below it.
type Chart struct {
	Path  string // the chart folder as the user would type it
	Rel   string // relative to the tree's root
	Files []File // Rel of each file is relative to the chart folder
}

// Problem is a file labcheck refused to read, and why. It becomes a finding
// of the lab the file belongs to.
type Problem struct {
	Path    string
	Lab     finding.Lab
	Message string
}

// Unjudged is a Dockerfile left out because another one beside it is the
// one that is built.
type Unjudged struct {
	Path   string   // as the user would type it
	Judged []string // the Dockerfiles of its folder that are judged
	Why    string   // how they were chosen, for a message
}

// Tree is everything discovered under one argument.
type Tree struct {
	Arg      string // the argument as given
	Root     string // the folder walked
	Files    []File
	Charts   []Chart
	Problems []Problem
	Unjudged []Unjudged // Dockerfiles beside the one that is built (see pickDockerfiles), by path
	layout   string     // where the labs live under Root: "labs/", "" or a lab's own folder
}

var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// Walk discovers the files under arg, which may be a folder or a single file.
// An error means arg itself cannot be used; every problem inside the tree is
// a Problem in the result.
func Walk(arg string, lim Limits) (*Tree, error) {
	info, err := os.Stat(arg)
	if err != nil {
		return nil, fmt.Errorf("path %s: %w", arg, err)
	}
	t := &Tree{Arg: arg, Root: arg}
	only := ""
	if !info.IsDir() {
		t.Root, only = filepath.Dir(arg), filepath.Base(arg)
	}
	realRoot, err := filepath.EvalSymlinks(t.Root)
	if err != nil {
		return nil, fmt.Errorf("path %s: %w", arg, err)
	}
	t.layout = layoutOf(t.Root)
	w := &walker{t: t, lim: lim, realRoot: realRoot, only: only, ignore: labcheckIgnore(t.Root)}
	if only == "" && fileExists(filepath.Join(t.Root, "Chart.yaml")) {
		w.chartDirs = append(w.chartDirs, ".") // PATH is a chart's own folder
	}
	err = filepath.WalkDir(t.Root, w.visit)
	if err != nil && !errors.Is(err, errStop) {
		return nil, fmt.Errorf("walk %s: %w", arg, err)
	}
	w.collectCharts()
	t.pickDockerfiles()
	return t, nil
}

var errStop = errors.New("file limit reached")

type walker struct {
	t          *Tree
	lim        Limits
	realRoot   string
	only       string
	ignore     *ignore.Rules
	seen       int
	chartDirs  []string
	chartFiles []File
}

func (w *walker) visit(p string, d fs.DirEntry, err error) error {
	rel, _ := filepath.Rel(w.t.Root, p)
	rel = filepath.ToSlash(rel)
	if err != nil {
		if rel == "." {
			return err
		}
		w.problem(rel, fmt.Sprintf("%s cannot be read: %v", w.display(rel), errors.Unwrap(err)))
		return nil
	}
	if rel == "." {
		return nil
	}
	w.seen++
	if w.seen > w.lim.MaxFiles {
		w.problem(rel, fmt.Sprintf("the submission has more than %d files; the rest of the tree (from %s on) was not read", w.lim.MaxFiles, w.display(rel)))
		return errStop
	}
	if d.IsDir() {
		if skipDirs[d.Name()] || w.ignored(rel, d) {
			return filepath.SkipDir
		}
		if w.only == "" && fileExists(filepath.Join(p, "Chart.yaml")) {
			w.chartDirs = append(w.chartDirs, rel)
		}
		return nil
	}
	if w.only != "" && rel != w.only && !besideOnly(rel, w.only) {
		return nil
	}
	if w.ignored(rel, d) {
		return nil
	}
	kind, lab := w.classifyName(rel)
	if kind == 0 && rel == w.only {
		// A file given as PATH is judged whatever its name, if it reads as
		// a Dockerfile (read checks the content).
		kind, lab = Dockerfile, finding.Docker
	}
	if d.Type()&fs.ModeSymlink != 0 {
		return w.symlink(p, rel, kind, lab)
	}
	if !d.Type().IsRegular() || kind == 0 {
		return nil
	}
	w.read(p, rel, kind, lab)
	return nil
}

// besideOnly keeps the files a single Dockerfile argument needs beside it:
// the .dockerignore (BuildKit's own <Dockerfile>.dockerignore too) and the
// build script.
func besideOnly(rel, only string) bool {
	return rel == ".dockerignore" || rel == only+".dockerignore" || rel == "build.sh"
}

func (w *walker) ignored(rel string, d fs.DirEntry) bool {
	if w.ignore == nil {
		return false
	}
	info, err := d.Info()
	return err == nil && w.ignore.Ignore(rel, info)
}

// symlink reads a link's target only when it stays inside the tree.
func (w *walker) symlink(p, rel string, kind Kind, lab finding.Lab) error {
	target, err := filepath.EvalSymlinks(p)
	inside := err == nil && within(w.realRoot, target)
	if !inside {
		if kind != 0 || w.inChart(rel) {
			w.problem(rel, fmt.Sprintf("%s is a symlink that leads outside the submission; it was not read", w.display(rel)))
		}
		return nil
	}
	info, err := os.Stat(target)
	if err != nil || !info.Mode().IsRegular() || kind == 0 {
		return nil // links to folders inside the tree are walked under their real path
	}
	w.read(target, rel, kind, lab)
	return nil
}

func within(root, p string) bool {
	r, err := filepath.Rel(root, p)
	return err == nil && r != ".." && !strings.HasPrefix(r, "../")
}

func (w *walker) read(p, rel string, kind Kind, lab finding.Lab) {
	if kind == DockerIgnore {
		w.t.Files = append(w.t.Files, File{Path: w.display(rel), Rel: rel, Kind: kind, Lab: lab})
		return
	}
	data, err := readLimited(p, w.lim.MaxFileSize)
	switch {
	case errors.Is(err, errTooLarge):
		w.problem(rel, fmt.Sprintf("%s is larger than %s; it was not read", w.display(rel), size(w.lim.MaxFileSize)))
		return
	case err != nil:
		w.problem(rel, fmt.Sprintf("%s cannot be read: %v", w.display(rel), err))
		return
	case binary(data) && !w.chartArchive(rel):
		w.problem(rel, fmt.Sprintf("%s is a binary file, not text; it was not read", w.display(rel)))
		return
	}
	if kind == Dockerfile && !w.inChart(rel) && !canonicalDockerfile(path.Base(rel)) && !looksLikeDockerfile(data) {
		return // Dockerfile.md, notes.Dockerfile.txt… or a PATH that is not a Dockerfile
	}
	if kind == ChartFile || w.inChart(rel) {
		w.chartFiles = append(w.chartFiles, File{Path: w.display(rel), Rel: rel, Kind: ChartFile, Lab: finding.Helm, Data: data})
		return
	}
	if kind == Manifest {
		k, ok := classifyYAML(data, lab, w.t.explicitLab(rel))
		if !ok {
			return
		}
		lab = k
	}
	w.t.Files = append(w.t.Files, File{Path: w.display(rel), Rel: rel, Kind: kind, Lab: lab, Data: data})
}

var errTooLarge = errors.New("too large")

func readLimited(p string, max int64) ([]byte, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, errTooLarge
	}
	return data, nil
}

func binary(data []byte) bool {
	head := data[:min(len(data), 8000)]
	return bytes.IndexByte(head, 0) >= 0
}

func size(n int64) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// classifyName decides from a path alone whether a file may matter. YAML is
// confirmed by content in read; files inside charts are kept whatever their
// name, since templates and values are all part of the chart.
func (w *walker) classifyName(rel string) (Kind, finding.Lab) {
	base := path.Base(rel)
	switch {
	case base == ".dockerignore" || strings.HasSuffix(base, ".dockerignore"):
		return DockerIgnore, finding.Docker
	case canonicalDockerfile(base) || dockerfileVariant(base):
		return Dockerfile, finding.Docker
	case base == "build.sh":
		return BuildScript, w.t.labHint(rel, finding.Docker)
	case w.inChart(rel):
		return ChartFile, finding.Helm
	case strings.HasSuffix(base, ".yaml") || strings.HasSuffix(base, ".yml"):
		return Manifest, w.t.labHint(rel, finding.Kubernetes)
	}
	return 0, ""
}

// canonicalDockerfile is the name `docker build` (Dockerfile) or `podman
// build` (Containerfile) reads when no -f is given.
func canonicalDockerfile(base string) bool {
	return base == "Dockerfile" || base == "Containerfile" || base == "dockerfile"
}

// notDockerfileExt are extensions that make Dockerfile.<ext> something else
// (documentation, configuration, a script).
var notDockerfileExt = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".md": true, ".txt": true, ".sh": true, ".rst": true, ".html": true}

// dockerfileVariant is a Dockerfile by one of the usual other names:
// Dockerfile.release, Dockerfile.prod, prod.Dockerfile, Containerfile.dev.
// Its content decides (looksLikeDockerfile).
func dockerfileVariant(base string) bool {
	if notDockerfileExt[strings.ToLower(path.Ext(base))] {
		return false
	}
	lower := strings.ToLower(base)
	for _, n := range []string{"dockerfile", "containerfile"} {
		if strings.HasPrefix(lower, n+".") || strings.HasSuffix(lower, "."+n) {
			return true
		}
	}
	return false
}

// looksLikeDockerfile reports whether content reads as a Dockerfile: its
// first instruction, after comments, parser directives and blank lines, is
// FROM, or ARGs followed by FROM. A broken Dockerfile still passes (its
// parse error is reported as a finding); a shell script or a README does
// not.
func looksLikeDockerfile(data []byte) bool {
	continued := false
	for _, line := range strings.Split(strings.TrimPrefix(string(data), "\ufeff"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue // comments do not end an instruction: a continued one goes on after them
		}
		wasContinued := continued
		continued = strings.HasSuffix(line, `\`) || strings.HasSuffix(line, "`")
		if wasContinued {
			continue
		}
		word, _, _ := strings.Cut(strings.ToUpper(line), " ")
		word, _, _ = strings.Cut(word, "\t")
		switch word {
		case "FROM":
			return true
		case "ARG":
			continue
		}
		return false
	}
	return false
}

// buildFileFlag is a build command's -f/--file flag.
var buildFileFlag = regexp.MustCompile(`(?:^|\s)(?:-f|--file)(?:\s|=)`)

var buildCommand = regexp.MustCompile(`(^|[\s;&|(])(docker|podman|buildah)\s+(buildx\s+)?(build|bud)(\s|$)`)

// pickDockerfiles keeps, in a folder holding several Dockerfiles, those
// that are built: the ones a build script names with -f, else the one
// `docker build` reads by default (Dockerfile, or Podman's Containerfile),
// else all of them. A Dockerfile.dev kept beside the Dockerfile the lab
// builds is the student's own business, not the graded image.
func (t *Tree) pickDockerfiles() {
	byDir := map[string][]int{}
	for i, f := range t.Files {
		if f.Kind == Dockerfile {
			byDir[path.Dir(f.Rel)] = append(byDir[path.Dir(f.Rel)], i)
		}
	}
	var builds []string // build commands that name their Dockerfile
	for _, f := range t.Files {
		if f.Kind != BuildScript {
			continue
		}
		for _, line := range strings.Split(strings.NewReplacer("\\\r\n", " ", "\\\n", " ").Replace(string(f.Data)), "\n") {
			if !strings.HasPrefix(strings.TrimSpace(line), "#") && buildCommand.MatchString(line) && buildFileFlag.MatchString(line) {
				builds = append(builds, line)
			}
		}
	}
	// named reports whether a build command names the file, alone or as the
	// last element of a path (-f "$(dirname "$0")/Dockerfile.release").
	named := func(base string) bool {
		re := regexp.MustCompile(`(^|[\s/"'=])` + regexp.QuoteMeta(base) + `($|[\s"';&|)])`)
		return slices.ContainsFunc(builds, re.MatchString)
	}
	drop := map[int]bool{}
	for _, idx := range byDir {
		if len(idx) < 2 {
			continue
		}
		var keep []int
		var why string
		for _, pick := range []struct {
			ok  func(string) bool
			why string
		}{
			{named, "the build script names it with -f"},
			{func(base string) bool { return base == "Dockerfile" || base == "dockerfile" }, "docker build reads it when no -f is given"},
			{func(base string) bool { return base == "Containerfile" }, "podman build reads it when no -f is given"},
		} {
			keep = slices.DeleteFunc(slices.Clone(idx), func(i int) bool { return !pick.ok(path.Base(t.Files[i].Rel)) })
			if len(keep) > 0 {
				why = pick.why
				break
			}
		}
		if len(keep) == 0 {
			continue
		}
		var judged []string
		for _, i := range keep {
			judged = append(judged, t.Files[i].Path)
		}
		slices.Sort(judged)
		for _, i := range idx {
			if !slices.Contains(keep, i) {
				drop[i] = true
				t.Unjudged = append(t.Unjudged, Unjudged{Path: t.Files[i].Path, Judged: judged, Why: why})
			}
		}
	}
	if len(drop) == 0 {
		return
	}
	kept := t.Files[:0]
	for i, f := range t.Files {
		if !drop[i] {
			kept = append(kept, f)
		}
	}
	t.Files = kept
	slices.SortFunc(t.Unjudged, func(a, b Unjudged) int { return strings.Compare(a.Path, b.Path) })
}

// inChart reports whether rel lies in a chart folder seen so far. WalkDir
// visits a folder before its contents, so the chart is always known first.
func (w *walker) inChart(rel string) bool {
	for _, c := range w.chartDirs {
		if _, ok := under(rel, c); ok {
			return true
		}
	}
	return false
}

// under returns rel relative to dir, if it lies below it ("." is the root).
func under(rel, dir string) (string, bool) {
	if dir == "." {
		return rel, true
	}
	return strings.CutPrefix(rel, dir+"/")
}

// chartArchive reports whether rel is a packaged dependency (charts/*.tgz
// of a chart): binary, but Helm's loader reads it, with its own limits.
func (w *walker) chartArchive(rel string) bool {
	if !w.inChart(rel) || !strings.HasSuffix(rel, ".tgz") {
		return false
	}
	return path.Base(path.Dir(rel)) == "charts"
}

var (
	kindLine    = regexp.MustCompile(`(?m)^kind:\s*\S`)
	apiLine     = regexp.MustCompile(`(?m)^apiVersion:\s*\S`)
	istioGroups = regexp.MustCompile(`(?m)^apiVersion:\s*["']?(networking|security)\.istio\.io/`)
)

// classifyYAML decides by content whether a YAML file holds Kubernetes or
// Istio objects. Files in the kubernetes or istio lab's own folder are kept
// even when they do not look like objects, so that a broken manifest is
// reported rather than skipped.
func classifyYAML(data []byte, hint, explicit finding.Lab) (finding.Lab, bool) {
	switch {
	case istioGroups.Match(data):
		return finding.Istio, true
	case kindLine.Match(data) || apiLine.Match(data):
		return hint, true
	}
	return hint, explicit == finding.Kubernetes || explicit == finding.Istio
}

func (w *walker) collectCharts() {
	for _, dir := range w.chartDirs {
		c := Chart{Path: w.display(dir), Rel: dir}
		for _, f := range w.chartFiles {
			if rest, ok := under(f.Rel, dir); ok && owner(w.chartDirs, f.Rel) == dir {
				f.Rel = rest
				c.Files = append(c.Files, f)
			}
		}
		w.t.Charts = append(w.t.Charts, c)
	}
}

// owner is the innermost chart folder holding rel; a subchart's files belong
// to the subchart, which its parent loads from charts/.
func owner(dirs []string, rel string) string {
	best := ""
	for _, d := range dirs {
		if _, ok := under(rel, d); ok && (best == "" || d != "." && len(d) > len(best)) {
			best = d
		}
	}
	return best
}

func (w *walker) problem(rel string, msg string) {
	kind, lab := w.classifyName(rel)
	if kind == 0 {
		lab = w.t.labHint(rel, finding.Docker)
	}
	w.t.Problems = append(w.t.Problems, Problem{Path: w.display(rel), Lab: lab, Message: msg})
}

func (w *walker) display(rel string) string {
	return filepath.ToSlash(filepath.Clean(filepath.Join(w.t.Root, filepath.FromSlash(rel))))
}

func fileExists(p string) bool {
	info, err := os.Lstat(p)
	return err == nil && info.Mode().IsRegular()
}

func labcheckIgnore(root string) *ignore.Rules {
	data, err := readLimited(filepath.Join(root, ".labcheckignore"), DefaultLimits.MaxFileSize)
	if err != nil {
		return nil
	}
	rules, err := ignore.Parse(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	return rules
}

// labHint is the lab a path's folders name (labs/istio/gateway.yaml is
// istio), or def when none does.
func (t *Tree) labHint(rel string, def finding.Lab) finding.Lab {
	if l := t.explicitLab(rel); l != "" {
		return l
	}
	return def
}

// explicitLab is the innermost folder of rel that names a lab, or "".
func (t *Tree) explicitLab(rel string) finding.Lab {
	dirs := strings.Split(path.Dir(t.layout+rel), "/")
	for i := len(dirs) - 1; i >= 0; i-- {
		if l, err := finding.ParseLab(dirs[i]); err == nil {
			return l
		}
	}
	return ""
}

// layoutOf finds where the default layout puts the labs relative to root:
// root may be the repository (labs/docker/…), the labs folder (docker/…) or
// one lab's folder. The result prefixes relative paths for labHint.
func layoutOf(root string) string {
	abs, err := filepath.Abs(root)
	if err != nil {
		return ""
	}
	if l, err := finding.ParseLab(filepath.Base(abs)); err == nil {
		return "labs/" + string(l) + "/"
	}
	return ""
}

// Expected is where the default layout puts a lab's file, as the user would
// type it; findings about a missing file point there.
func (t *Tree) Expected(lab finding.Lab, name string) string {
	abs, _ := filepath.Abs(t.Root)
	var p string
	_, notLab := finding.ParseLab(filepath.Base(abs))
	switch {
	case filepath.Base(abs) == string(lab):
		p = name
	case notLab == nil:
		p = path.Join("..", string(lab), name) // PATH is another lab's folder
	case dirExists(filepath.Join(t.Root, string(lab))) || filepath.Base(abs) == "labs":
		p = path.Join(string(lab), name)
	default:
		p = path.Join("labs", string(lab), name)
	}
	return filepath.ToSlash(filepath.Clean(filepath.Join(t.Root, filepath.FromSlash(p))))
}

func dirExists(p string) bool {
	info, err := os.Stat(p)
	return err == nil && info.IsDir()
}

// Sorted returns files in a stable order by path.
func Sorted(fs []File) []File {
	slices.SortFunc(fs, func(a, b File) int { return strings.Compare(a.Path, b.Path) })
	return fs
}
