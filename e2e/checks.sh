# shellcheck shell=bash
# Check functions and a small runner shared by e2e/check-site.sh and .ci/run.
# Source it; do not run it.
#
#   run_check [--show] NAME FUNC [ARGS...]
#                                   runs FUNC, prints PASS/FAIL/SKIP NAME, counts;
#                                   sets e2e_last_rc; --show: whole log on PASS too
#   print_summary LABEL             prints "LABEL: N passed, N failed, N skipped"
#
# A check function returns 0 = pass, 77 = skip (its last output line says why),
# anything else = fail. Its output goes to a log; the runner prints the last
# line on PASS/SKIP and the whole log (up to E2E_FAIL_LINES lines) on FAIL.
# The runner turns errexit off around a check, so the functions check each
# step themselves.

E2E_DIR="${E2E_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}"
E2E_BIN="$E2E_DIR/.bin"
E2E_SKIP=77
E2E_FAIL_LINES="${E2E_FAIL_LINES:-200}"
E2E_LOGDIR="${E2E_LOGDIR:-$(mktemp -d "${TMPDIR:-/tmp}/shownotes-e2e.XXXXXX")}"
e2e_passed=0 e2e_failed=0 e2e_skipped=0 e2e_last_rc=0
e2e_failed_names=()

run_check() { # run_check [--show] NAME FUNC [ARGS...]
  local show=0
  if [ "$1" = --show ]; then show=1; shift; fi
  local name=$1 rc t0 log
  shift
  log="$E2E_LOGDIR/$name.log"
  t0=$(date +%s%N)
  local errexit=0
  case $- in *e*) errexit=1 ;; esac
  set +e
  ("$@") 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g' >"$log"
  rc=${PIPESTATUS[0]}
  # shellcheck disable=SC2034 # read by the caller
  e2e_last_rc=$rc
  [ "$errexit" = 0 ] || set -e
  local ms=$((($(date +%s%N) - t0) / 1000000))
  local last
  last="$(grep -v '^[[:space:]]*$' "$log" | tail -n 1)"
  if [ "$rc" = 0 ]; then
    e2e_passed=$((e2e_passed + 1))
    printf 'PASS  %-10s %6d ms  %s\n' "$name" "$ms" "$last"
    if [ "$show" = 1 ]; then sed 's/^/      /' "$log"; fi
  elif [ "$rc" = "$E2E_SKIP" ]; then
    e2e_skipped=$((e2e_skipped + 1))
    printf 'SKIP  %-10s %6d ms  %s\n' "$name" "$ms" "$last"
  else
    e2e_failed=$((e2e_failed + 1))
    e2e_failed_names+=("$name")
    printf 'FAIL  %-10s %6d ms  exit %s\n' "$name" "$ms" "$rc"
    local n
    n=$(wc -l <"$log")
    if [ "$n" -gt "$E2E_FAIL_LINES" ]; then
      printf '      ... %d lines cut, full log: %s\n' "$((n - E2E_FAIL_LINES))" "$log"
    fi
    tail -n "$E2E_FAIL_LINES" "$log" | sed 's/^/      /'
  fi
  return 0
}

print_summary() { # print_summary LABEL
  if [ ${#e2e_failed_names[@]} -gt 0 ]; then
    echo "failed: ${e2e_failed_names[*]}"
  fi
  echo "$1: $e2e_passed passed, $e2e_failed failed, $e2e_skipped skipped"
}

need_dir() { # need_dir PUBLIC_DIR
  [ -d "$1" ] || { echo "no such directory: $1"; return 1; }
}

# ---- the built site's checks (each takes the public dir) ---------------------

# Nu Html Checker (the engine behind validator.w3.org/nu): every page is valid
# HTML per the HTML standard. --errors-only: warnings do not fail.
check_html() { # check_html PUBLIC_DIR
  need_dir "$1" || return 1
  local n
  n=$(find "$1" -type f \( -name '*.html' -o -name '*.htm' \) | wc -l)
  [ "$n" -gt 0 ] || { echo "no .html files in $1"; return 1; }
  timeout 300 java -jar "$E2E_DIR/node_modules/vnu-jar/build/dist/vnu.jar" \
    --errors-only --skip-non-html "$1" || return 1
  echo "vnu: $n page(s), 0 errors"
}

# htmltest: every internal link, image, script, stylesheet and #fragment target
# exists in the folder; img alt present; doctype. Offline (CheckExternal: false).
check_links() { # check_links PUBLIC_DIR
  need_dir "$1" || return 1
  local dir
  dir="$(cd "$1" && pwd)"
  # run in a scratch cwd: htmltest would put tmp/.htmltest there if the
  # config ever enabled its cache or log
  (cd "$E2E_LOGDIR" && NO_COLOR=1 timeout 120 "$E2E_BIN/htmltest" -c "$E2E_DIR/htmltest.yml" "$dir") || return 1
}

# sitemap.xml is valid against sitemaps.org's 0.9 XSD (lastmod format,
# changefreq values, priority range, required loc).
check_sitemap() { # check_sitemap PUBLIC_DIR
  need_dir "$1" || return 1
  if [ ! -e "$1/sitemap.xml" ]; then
    echo "SKIP: $1/sitemap.xml does not exist yet (the sitemap is not written yet)"
    return "$E2E_SKIP"
  fi
  xmllint --noout --nonet --schema "$E2E_DIR/schemas/sitemap-0.9.xsd" "$1/sitemap.xml" || return 1
  echo "sitemap.xml: valid against sitemaps.org 0.9 XSD ($(grep -o '<loc>' "$1/sitemap.xml" | wc -l) URLs)"
}

# The podcast feed: well-formed XML (fast-xml-parser + xmllint), Apple
# Podcasts' required tags, RSS/iTunes/Podcasting 2.0 formats, and Podcast
# Index's parser (podcast-partytime) and feedsmith keep every item. --strict:
# warnings fail too.
check_feed() { # check_feed PUBLIC_DIR
  need_dir "$1" || return 1
  local feed="$1/feed.xml" json rc
  if [ ! -e "$feed" ]; then
    echo "SKIP: $feed does not exist yet (the feed is not written yet)"
    return "$E2E_SKIP"
  fi
  json="$E2E_LOGDIR/feedcheck.json"
  node "$E2E_DIR/feedcheck.mjs" --strict "$feed" >"$json"
  rc=$?
  # readable verdict from the JSON (the whole JSON is in $json)
  # shellcheck disable=SC2016 # JavaScript, not shell
  node -e '
    const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    for (const e of r.errors || []) console.log(`error:   ${e.where}: ${e.msg}`);
    for (const w of r.warnings || []) console.log(`warning: ${w.where}: ${w.msg}`);
    const kept = r.itemCount === r.rawItemCount;
    if (r.itemCount !== undefined && !kept && !(r.errors || []).some((e) => e.where === "partytime")) console.log(`error:   parsers kept ${r.itemCount} of ${r.rawItemCount} items`);
    console.log(`feed.xml: ${r.itemCount ?? "?"} of ${r.rawItemCount ?? "?"} item(s) kept, ${(r.errors || []).length} error(s), ${(r.warnings || []).length} warning(s)` + (r.stage ? ` (stopped at stage ${r.stage})` : ""));
    process.exit(r.ok && kept && r.rawItemCount > 0 ? 0 : 1);
  ' "$json" || { [ "$rc" != 0 ] || rc=1; }
  [ "$rc" = 0 ] || { echo "feedcheck exit $rc; full JSON: $json"; return 1; }
}

# axe-core (Deque), WCAG 2.0/2.1/2.2 A+AA rules, over every page of the folder
# served on 127.0.0.1 in Debian's headless chromium, in the light and in the
# dark colour scheme (contrast differs); on the search page a query is typed
# first, so the results list and its status are checked too.
check_a11y() { # check_a11y PUBLIC_DIR
  need_dir "$1" || return 1
  local scheme rc=0
  for scheme in light dark; do
    timeout 600 node "$E2E_DIR/a11y.mjs" --serve "$1" --format text --color-scheme "$scheme" --search "${E2E_A11Y_QUERY:-salt}" || rc=1
  done
  return "$rc"
}
