package site

import (
	"context"
	"net/url"
	"path"
	"strings"
)

// Check does everything Build does except writing: it loads, validates,
// renders every page into Discard and verifies the internal links of the
// show notes. It returns every problem, warnings included; broken links are
// errors here (in Build they are warnings, so a typo never blocks a
// publish that CI already let through).
func Check(ctx context.Context, in Input) (ErrorList, error) {
	s, err := Load(ctx, in)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return AsList(err), nil
	}
	rep, err := s.render(ctx, in, Discard{}, SeverityError)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return AsList(err), nil
	}
	return rep.Warnings, nil
}

// noteLink is a link found in an episode's show notes.
type noteLink struct {
	ep   *Episode
	link Link
}

// linkProblems reports show-notes links to pages or files this build did
// not produce.
func (r *renderer) linkProblems(sev Severity) ErrorList {
	r.mu.Lock()
	links := r.links
	written := r.written
	r.mu.Unlock()
	var errs ErrorList
	for _, l := range links {
		target, ok := internalTarget(l.ep, l.link.Dest)
		if !ok {
			continue
		}
		if written[target] || written[target+"/index.html"] {
			continue
		}
		errs = append(errs, &Error{
			Pos:      Pos{File: l.ep.Source, Line: l.link.Line},
			Msg:      "link to " + l.link.Dest + ": no such page or file in the site",
			Severity: sev,
		})
	}
	errs.Sort()
	return errs
}

// internalTarget maps a link in an episode's notes to the output file it
// names, or false for external links and pure fragments.
func internalTarget(ep *Episode, dest string) (string, bool) {
	u, err := url.Parse(dest)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Path == "" {
		return "", false
	}
	p := u.Path
	if strings.HasPrefix(p, "/") {
		p = strings.TrimPrefix(p, "/")
	} else {
		p = path.Join(ep.Path(), p)
		if strings.HasSuffix(u.Path, "/") {
			p += "/"
		}
	}
	if p == "" || strings.HasSuffix(p, "/") {
		return p + "index.html", true
	}
	return path.Clean(p), true
}
