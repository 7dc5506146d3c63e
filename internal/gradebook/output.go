package gradebook

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/labcheck/labcheck/internal/grade"
)

// Output is a gradebook on disk while a class is graded: OUT.csv gets
// each row the moment it is graded, so that a crash, a kill or a full
// disk in the middle leaves every finished row readable; OUT.json says
// "running" until Close writes the whole gradebook.
type Output struct {
	Base   string // OUT: the files are OUT.csv and OUT.json
	rubric *grade.Rubric
	csv    *os.File
	cw     *csv.Writer
	err    error // the first failed append, reported again by Close
}

// Create prepares the gradebook's files before any submission is graded:
// it creates OUT's folder when missing and writes OUT.csv's header and a
// "running" OUT.json, so that an output that cannot be written is known
// before the work starts.
func Create(base string, rubric *grade.Rubric, total int) (*Output, error) {
	if err := os.MkdirAll(filepath.Dir(base), 0o755); err != nil {
		return nil, fmt.Errorf("gradebook %s: %w", base, err)
	}
	o := &Output{Base: base, rubric: rubric}
	running := Book{Version: 1, Rubric: rubric.Name, Status: "running", Summary: Summary{Submissions: total}}
	if err := writeAtomic(base+".json", func(w io.Writer) error { return writeBook(w, running) }); err != nil {
		return nil, err
	}
	f, err := os.Create(base + ".csv")
	if err != nil {
		return nil, fmt.Errorf("gradebook: %w", err)
	}
	o.csv, o.cw = f, csv.NewWriter(f)
	if err := o.write(csvHeader(rubric)); err != nil {
		f.Close()
		return nil, err
	}
	return o, nil
}

// Add appends a graded row to OUT.csv at once. After a failed append the
// others are not tried; Close reports the failure.
func (o *Output) Add(r Row) error {
	if o.err == nil {
		o.err = o.write(csvRecord(o.rubric, r))
	}
	return o.err
}

func (o *Output) write(rec []string) error {
	if err := o.cw.Write(rec); err != nil {
		return fmt.Errorf("gradebook %s.csv: %w", o.Base, err)
	}
	o.cw.Flush()
	if err := o.cw.Error(); err != nil {
		return fmt.Errorf("gradebook %s.csv: %w", o.Base, err)
	}
	return nil
}

// Close writes the whole gradebook, rows sorted by submission: OUT.csv and
// OUT.json, each to a temporary file renamed over the old one, so that a
// reader never sees half a file.
func (o *Output) Close(rows []Row) error {
	o.csv.Close()
	if err := writeAtomic(o.Base+".csv", func(w io.Writer) error { return WriteCSV(w, o.rubric, rows) }); err != nil {
		return err
	}
	return writeAtomic(o.Base+".json", func(w io.Writer) error { return WriteJSON(w, o.rubric, rows) })
}

// writeAtomic writes path through a temporary file in its folder.
func writeAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; left over only on failure
	if err := write(tmp); err != nil {
		tmp.Close()
		return fmt.Errorf("gradebook %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("gradebook %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("gradebook %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("gradebook: %w", err)
	}
	return nil
}
