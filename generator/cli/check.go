package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"shownotes/generator/site"
)

func runCheck(ctx context.Context, args []string, env Env) int {
	fl := newFlags("check", env)
	strict := fl.Bool("strict", false, "fail on warnings too")
	format := fl.String("format", "text", "output format: text, json or github (GitHub Actions annotations)")
	drafts := fl.Bool("drafts", true, "check drafts too")
	future := fl.Bool("future", true, "check scheduled episodes too")
	if err := fl.Parse(args); err != nil {
		return ExitUsage
	}
	if fl.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "shownotes check: unexpected argument %q\n", fl.Arg(0))
		return ExitUsage
	}
	switch *format {
	case "text", "json", "github":
	default:
		fmt.Fprintf(env.Stderr, "shownotes check: -format must be text, json or github, got %q\n", *format)
		return ExitUsage
	}
	in := env.input(*drafts, *future)
	problems, err := site.Check(ctx, in)
	if err != nil {
		fmt.Fprintf(env.Stderr, "shownotes check: %v\n", err)
		return ExitFail
	}
	problems = append(problems, env.checkLock(ctx)...)
	if *strict {
		for _, p := range problems {
			p.Severity = site.SeverityError
		}
	}
	problems.Sort()
	switch *format {
	case "json":
		writeJSON(env.Stdout, problems)
	case "github":
		writeGitHub(env.Stdout, problems)
	default:
		printProblems(env.Stdout, problems)
		if len(problems) == 0 {
			fmt.Fprintln(env.Stdout, "check: no problems")
		} else {
			fmt.Fprintf(env.Stdout, "check: %d %s, %d %s\n",
				len(problems.Errors()), plural(len(problems.Errors()), "error", "errors"),
				len(problems.Warnings()), plural(len(problems.Warnings()), "warning", "warnings"))
		}
	}
	if len(problems.Errors()) > 0 {
		return ExitFail
	}
	return ExitOK
}

// checkLock compares the published episodes with the committed feed.lock.
// It loads without drafts and future episodes: only what is published has
// an identity to protect.
func (env Env) checkLock(ctx context.Context) site.ErrorList {
	lock, err := os.ReadFile(filepath.Join(env.Dir, site.LockFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return site.ErrorList{{Pos: site.Pos{File: site.LockFile}, Msg: err.Error()}}
	}
	s, err := site.Load(ctx, env.input(false, false))
	if err != nil {
		return nil // the load problems are already reported by Check
	}
	return s.CheckLock(lock)
}

type jsonProblem struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Severity string `json:"severity"`
	Field    string `json:"field,omitempty"`
	Message  string `json:"message"`
	Source   string `json:"source,omitempty"`
}

func severityName(s site.Severity) string {
	if s == site.SeverityWarning {
		return "warning"
	}
	return "error"
}

func writeJSON(w io.Writer, problems site.ErrorList) {
	out := make([]jsonProblem, 0, len(problems))
	for _, p := range problems {
		out = append(out, jsonProblem{File: p.Pos.File, Line: p.Pos.Line, Column: p.Pos.Col,
			Severity: severityName(p.Severity), Field: p.Field, Message: p.Msg, Source: p.Snippet})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(out)
}

// writeGitHub prints workflow commands that GitHub Actions shows as
// annotations on the pull request's diff.
func writeGitHub(w io.Writer, problems site.ErrorList) {
	esc := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	escProp := strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
	for _, p := range problems {
		var props []string
		if p.Pos.File != "" {
			props = append(props, "file="+escProp.Replace(p.Pos.File))
		}
		if p.Pos.Line > 0 {
			props = append(props, fmt.Sprintf("line=%d", p.Pos.Line))
		}
		if p.Pos.Col > 0 {
			props = append(props, fmt.Sprintf("col=%d", p.Pos.Col))
		}
		msg := p.Msg
		if p.Field != "" {
			msg = p.Field + ": " + msg
		}
		fmt.Fprintf(w, "::%s %s::%s\n", severityName(p.Severity), strings.Join(props, ","), esc.Replace(msg))
	}
}
