package report

import (
	"encoding/json"
	"io"
)

type jsonRenderer struct{}

func (jsonRenderer) Render(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
