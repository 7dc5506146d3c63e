package engine

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/labcheck/labcheck/internal/finding"
)

type inner struct {
	A int    `json:"a"`
	B string `json:"b,omitempty"`
}

type embedded struct {
	inner
	C int `json:"c"`
}

type tagged struct {
	Name     string            `json:"name"`
	Skip     string            `json:"-"`
	hidden   string            //nolint:unused // encoding/json ignores it; so must Value
	NoTag    int               // the field's name
	Empty    string            `json:"empty,omitempty"`
	Zero     int               `json:"zero,omitempty"`
	False    bool              `json:"false,omitempty"`
	NilPtr   *inner            `json:"nilptr,omitempty"`
	Ptr      *inner            `json:"ptr"`
	NilSlice []inner           `json:"nilslice"`
	Slice    []inner           `json:"slice"`
	Lines    map[string]int    `json:"lines"`
	NilMap   map[string]string `json:"nilmap"`
	Any      any               `json:"any"`
	Arr      [2]uint8          `json:"arr"`
	Quoted   int               `json:"quoted,string"`
	Sev      finding.Severity  `json:"sev"`
}

// TestValueIsTheJSONs: Value gives exactly what the JSON round trip
// gives, for the shapes inputs are made of and the ones it leaves to
// encoding/json.
func TestValueIsTheJSONs(t *testing.T) {
	yamlish := map[string]any{
		"int": 3, "int64": int64(-7), "float": 0.5, "big": 1e21, "tiny": 1e-7, "whole": 2.0,
		"str": "x", "bad\xffkey": "a\xffb\xfe", "null": nil, "list": []any{1, "a", nil, []any{}, map[string]any{}},
		"num": json.Number("12.50"), "f32": float32(0.1), "i8": int8(-3), "u64": uint64(math.MaxUint64),
	}
	for name, in := range map[string]any{
		"yaml":      yamlish,
		"struct":    tagged{Name: "n", Skip: "s", hidden: "h", NoTag: 4, Ptr: &inner{A: 1}, Slice: []inner{{A: 2, B: "b"}}, Lines: map[string]int{"spec": 3}, Any: yamlish, Quoted: 9, Sev: finding.Warning},
		"embedded":  embedded{inner: inner{A: 1}, C: 2},
		"intkeys":   map[int]string{1: "a", 20: "b"},
		"bytes":     []byte("hello"),
		"time":      time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		"pointer":   &tagged{Name: "p"},
		"nil":       nil,
		"empty":     struct{}{},
		"strings":   []string{"a", "b\xff"},
		"interface": []any{&inner{A: 5}, inner{B: "x"}},
	} {
		want, werr := jsonValue(in)
		got, gerr := Value(in)
		if werr != nil || gerr != nil {
			t.Errorf("%s: errors %v / %v", name, werr, gerr)
			continue
		}
		if got.Compare(want) != 0 || got.String() != want.String() {
			t.Errorf("%s:\n got %s\nwant %s", name, got, want)
		}
	}
	if _, err := Value(map[string]any{"nan": math.NaN()}); err == nil {
		t.Error("NaN converted: encoding/json refuses it")
	}
}
