// Command yamlv3 reads YAML documents the way the Pulumi CLI reads a stack settings file
// (gopkg.in/yaml.v3 Unmarshal into an interface{}) and prints, for each, the value as JSON or
// the error. The differential test tests/yaml/yamlv3.test.ts compares it with the plan's reader.
//
// Input on stdin: a JSON array of strings (the documents). Output on stdout: a JSON array with,
// for each input, {"ok": VALUE, "documents": N} or {"error": MESSAGE}. VALUE is plain JSON
// where JSON can say it; what it cannot is marked so that the test can tell it apart:
// {"$float": "NaN"|"+Inf"|"-Inf"}, {"$timestamp": RFC 3339}, and a map with a key that is not a
// string, an integer or a boolean becomes {"$unsupportedKey": "<Go type>"}. Keys that are
// integers or booleans are written as fmt's %v of the key (how a Go map key prints).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"gopkg.in/yaml.v3"
)

type result struct {
	OK        interface{} `json:"ok,omitempty"`
	Null      bool        `json:"null,omitempty"`
	Documents int         `json:"documents,omitempty"`
	Error     string      `json:"error,omitempty"`
}

func convert(v interface{}) interface{} {
	switch t := v.(type) {
	case map[string]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, e := range t {
			out[k] = convert(e)
		}
		return out
	case map[interface{}]interface{}:
		out := make(map[string]interface{}, len(t))
		for k, e := range t {
			switch k.(type) {
			case string, int, int64, uint64, bool:
				out[fmt.Sprintf("%v", k)] = convert(e)
			default:
				return map[string]string{"$unsupportedKey": fmt.Sprintf("%T", k)}
			}
		}
		return out
	case []interface{}:
		out := make([]interface{}, len(t))
		for i, e := range t {
			out[i] = convert(e)
		}
		return out
	case float64:
		switch {
		case math.IsNaN(t):
			return map[string]string{"$float": "NaN"}
		case math.IsInf(t, 1):
			return map[string]string{"$float": "+Inf"}
		case math.IsInf(t, -1):
			return map[string]string{"$float": "-Inf"}
		}
		return t
	case time.Time:
		return map[string]string{"$timestamp": t.Format(time.RFC3339Nano)}
	default:
		return v
	}
}

// documents counts the documents a yaml.v3 Decoder finds (0 for an empty stream); -1 when a
// later document does not parse (Unmarshal reads the first one only).
func documents(text string) int {
	dec := yaml.NewDecoder(bytes.NewReader([]byte(text)))
	n := 0
	for {
		var node yaml.Node
		err := dec.Decode(&node)
		if errors.Is(err, io.EOF) {
			return n
		}
		if err != nil {
			return -1
		}
		n++
	}
}

func read(text string) (r result) {
	defer func() {
		if p := recover(); p != nil {
			r = result{Error: fmt.Sprintf("panic: %v", p)}
		}
	}()
	var v interface{}
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		return result{Error: err.Error()}
	}
	r = result{OK: convert(v), Documents: documents(text)}
	if v == nil {
		r.Null = true
	}
	return r
}

func main() {
	in, err := io.ReadAll(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	var texts []string
	if err := json.Unmarshal(in, &texts); err != nil {
		fmt.Fprintln(os.Stderr, "stdin: a JSON array of strings:", err)
		os.Exit(2)
	}
	out := make([]result, len(texts))
	for i, t := range texts {
		out[i] = read(t)
	}
	enc := json.NewEncoder(os.Stdout)
	if err := enc.Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
}
