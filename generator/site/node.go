package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"
	"gopkg.in/yaml.v3"
)

// node is a format-neutral, positioned view of a front matter document.
// YAML, TOML and JSON are each converted to it once, so that one strict
// decoder (decode.go) validates every format with the same messages.
type node struct {
	kind  nodeKind
	value string // scalar text
	tag   string // scalar type: "str", "int", "float", "bool", "null"
	line  int
	col   int
	keys  []*node // mapping keys (scalars), parallel to vals
	vals  []*node
	items []*node // sequence items
}

type nodeKind int

const (
	scalarNode nodeKind = iota
	mapNode
	seqNode
)

func (n *node) describe() string {
	switch n.kind {
	case mapNode:
		return "a mapping"
	case seqNode:
		return "a list"
	}
	switch n.tag {
	case "str":
		return fmt.Sprintf("the string %q", n.value)
	case "null":
		return "null"
	case "time":
		return "a date"
	}
	return n.value
}

// ---- YAML ----

func yamlToNode(data []byte, lineOffset int) (*node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(err, lineOffset)
	}
	if len(doc.Content) == 0 {
		return &node{kind: mapNode, line: lineOffset + 1, col: 1}, nil
	}
	return convertYAML(doc.Content[0], lineOffset, 0)
}

func convertYAML(y *yaml.Node, lineOffset, depth int) (*node, error) {
	if depth > 64 {
		return nil, &Error{Pos: Pos{Line: y.Line + lineOffset, Col: y.Column}, Msg: "front matter nests too deeply"}
	}
	n := &node{line: y.Line + lineOffset, col: y.Column}
	switch y.Kind {
	case yaml.AliasNode:
		// Aliases would let a few lines expand into huge documents; front
		// matter never needs them.
		return nil, &Error{Pos: Pos{Line: n.line, Col: n.col}, Msg: "YAML aliases are not supported in front matter"}
	case yaml.MappingNode:
		n.kind = mapNode
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, err := convertYAML(y.Content[i], lineOffset, depth+1)
			if err != nil {
				return nil, err
			}
			v, err := convertYAML(y.Content[i+1], lineOffset, depth+1)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, k)
			n.vals = append(n.vals, v)
		}
	case yaml.SequenceNode:
		n.kind = seqNode
		for _, c := range y.Content {
			v, err := convertYAML(c, lineOffset, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, v)
		}
	case yaml.ScalarNode:
		n.kind = scalarNode
		n.value = y.Value
		switch y.ShortTag() {
		case "!!int":
			n.tag = "int"
		case "!!float":
			n.tag = "float"
		case "!!bool":
			n.tag = "bool"
		case "!!null":
			n.tag = "null"
		case "!!timestamp":
			// Keep the text: dates are parsed by our own rules so that
			// every format accepts the same spellings.
			n.tag = "str"
		default:
			n.tag = "str"
		}
	default:
		return nil, &Error{Pos: Pos{Line: n.line, Col: n.col}, Msg: "unsupported YAML construct"}
	}
	return n, nil
}

// yamlError turns yaml.v3's "yaml: line N: msg" into a positioned error.
func yamlError(err error, lineOffset int) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	line := 0
	if strings.HasPrefix(msg, "line ") {
		rest := msg[len("line "):]
		if i := strings.Index(rest, ": "); i > 0 {
			if n, convErr := strconv.Atoi(rest[:i]); convErr == nil {
				line = n
				msg = rest[i+2:]
			}
		}
	}
	e := &Error{Msg: "invalid YAML: " + msg}
	if line > 0 {
		e.Pos.Line = line + lineOffset
	} else {
		e.Pos.Line = lineOffset + 1
	}
	return e
}

// ---- JSON ----

func jsonToNode(data []byte, lineOffset int) (*node, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := &jsonConv{dec: dec, data: data, lineOffset: lineOffset}
	n, err := p.value(0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		line, col := p.pos(int(dec.InputOffset()))
		return nil, &Error{Pos: Pos{Line: line, Col: col}, Msg: "invalid JSON: unexpected data after the object"}
	}
	return n, nil
}

type jsonConv struct {
	dec        *json.Decoder
	data       []byte
	lineOffset int
}

// pos converts a byte offset into a line and column, skipping the JSON
// separators that the decoder reports as part of the previous token.
func (p *jsonConv) pos(off int) (int, int) {
	for off < len(p.data) && strings.IndexByte(" \t\r\n,:", p.data[off]) >= 0 {
		off++
	}
	line, col := 1, 1
	for _, c := range p.data[:min(off, len(p.data))] {
		if c == '\n' {
			line++
			col = 1
		} else {
			col++
		}
	}
	return line + p.lineOffset, col
}

func (p *jsonConv) err(off int, err error) error {
	var se *json.SyntaxError
	if ok := asSyntax(err, &se); ok {
		off = int(se.Offset) - 1
	}
	line, col := p.pos(max(off, 0))
	msg := strings.TrimPrefix(err.Error(), "json: ")
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		msg = "unexpected end of JSON"
	}
	return &Error{Pos: Pos{Line: line, Col: col}, Msg: "invalid JSON: " + msg}
}

func asSyntax(err error, target **json.SyntaxError) bool {
	se, ok := err.(*json.SyntaxError)
	if ok {
		*target = se
	}
	return ok
}

func (p *jsonConv) value(depth int) (*node, error) {
	start := int(p.dec.InputOffset())
	line, col := p.pos(start)
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.err(start, err)
	}
	if depth > 64 {
		return nil, &Error{Pos: Pos{Line: line, Col: col}, Msg: "front matter nests too deeply"}
	}
	n := &node{line: line, col: col}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			n.kind = mapNode
			for p.dec.More() {
				kstart := int(p.dec.InputOffset())
				kl, kc := p.pos(kstart)
				ktok, err := p.dec.Token()
				if err != nil {
					return nil, p.err(kstart, err)
				}
				key, _ := ktok.(string)
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.keys = append(n.keys, &node{tag: "str", value: key, line: kl, col: kc})
				n.vals = append(n.vals, v)
			}
		case '[':
			n.kind = seqNode
			for p.dec.More() {
				v, err := p.value(depth + 1)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, v)
			}
		}
		end := int(p.dec.InputOffset())
		if _, err := p.dec.Token(); err != nil {
			return nil, p.err(end, err)
		}
	case string:
		n.tag, n.value = "str", t
	case json.Number:
		n.value = t.String()
		n.tag = "float"
		if _, err := strconv.ParseInt(n.value, 10, 64); err == nil {
			n.tag = "int"
		}
	case bool:
		n.tag, n.value = "bool", strconv.FormatBool(t)
	case nil:
		n.tag, n.value = "null", "null"
	}
	return n, nil
}

// ---- TOML ----

// tomlToNode decodes TOML with go-toml and positions each value at the line
// of the top-level key (or table header) that introduced it: go-toml's
// document model carries no positions below that.
func tomlToNode(data []byte, lineOffset int) (*node, error) {
	var m map[string]any
	if err := toml.Unmarshal(data, &m); err != nil {
		if de, ok := err.(*toml.DecodeError); ok {
			row, col := de.Position()
			return nil, &Error{Pos: Pos{Line: row + lineOffset, Col: col}, Msg: "invalid TOML: " + strings.TrimPrefix(de.Error(), "toml: ")}
		}
		return nil, &Error{Pos: Pos{Line: lineOffset + 1}, Msg: "invalid TOML: " + err.Error()}
	}
	keyPos := map[string][2]int{}
	var p unstable.Parser
	p.Reset(data)
	for p.NextExpression() {
		e := p.Expression()
		var key *unstable.Node
		switch e.Kind {
		case unstable.KeyValue:
			it := e.Children()
			it.Next() // value
			if it.Next() {
				key = it.Node()
			}
		case unstable.Table, unstable.ArrayTable:
			it := e.Children()
			if it.Next() {
				key = it.Node()
			}
		}
		if key == nil || key.Raw.Length == 0 {
			continue
		}
		name := string(key.Data)
		if _, seen := keyPos[name]; !seen {
			s := p.Shape(key.Raw)
			keyPos[name] = [2]int{s.Start.Line + lineOffset, s.Start.Column}
		}
	}
	root := &node{kind: mapNode, line: lineOffset + 1, col: 1}
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		lc, ok := keyPos[k]
		if !ok {
			lc = [2]int{lineOffset + 1, 1}
		}
		root.keys = append(root.keys, &node{tag: "str", value: k, line: lc[0], col: lc[1]})
		root.vals = append(root.vals, anyToNode(m[k], lc[0], lc[1]))
	}
	return root, nil
}

func anyToNode(v any, line, col int) *node {
	n := &node{line: line, col: col}
	switch t := v.(type) {
	case map[string]any:
		n.kind = mapNode
		names := make([]string, 0, len(t))
		for k := range t {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			n.keys = append(n.keys, &node{tag: "str", value: k, line: line, col: col})
			n.vals = append(n.vals, anyToNode(t[k], line, col))
		}
	case []any:
		n.kind = seqNode
		for _, x := range t {
			n.items = append(n.items, anyToNode(x, line, col))
		}
	case []map[string]any:
		n.kind = seqNode
		for _, x := range t {
			n.items = append(n.items, anyToNode(x, line, col))
		}
	case string:
		n.tag, n.value = "str", t
	case int64:
		n.tag, n.value = "int", strconv.FormatInt(t, 10)
	case float64:
		n.tag, n.value = "float", strconv.FormatFloat(t, 'f', -1, 64)
	case bool:
		n.tag, n.value = "bool", strconv.FormatBool(t)
	case toml.LocalDate:
		n.tag, n.value = "str", t.String()
	case toml.LocalDateTime:
		n.tag, n.value = "str", t.String()
	case time.Time:
		n.tag, n.value = "str", t.Format(time.RFC3339)
	default:
		n.tag, n.value = "str", fmt.Sprint(t)
	}
	return n
}
