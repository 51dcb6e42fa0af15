#!/usr/bin/env bash
# Proves the site checks can fail: each must pass on a known-good sample site
# and fail (or skip) on a known-bad one. Not run by .ci/run; run it after
# changing e2e/checks.sh, a checker's config or a pinned version:
#
#   bash e2e/install.sh && bash e2e/selftest/run.sh [--a11y]
#
# --a11y also checks the axe-core run (needs chromium, ~5 s).
# Ends with "selftest: N passed, N failed"; exit 0 only if all passed.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CHECK="$HERE/../check-site.sh"
W="$(mktemp -d "${TMPDIR:-/tmp}/shownotes-e2e-selftest.XXXXXX")"
trap 'rm -rf "$W"' EXIT

# samples: good site (+ binary assets made here rather than stored), bad site
# (+ bad feed and sitemap), good site with a malformed feed, good site with
# neither feed nor sitemap
cp -r "$HERE/site-good" "$W/good"
printf '\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa75\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82' >"$W/good/cover.png"
mkdir -p "$W/good/media" && head -c 1000 /dev/zero >"$W/good/media/ep1.mp3"
cp -r "$HERE/site-bad" "$W/bad"
cp "$HERE/feeds/bad.xml" "$W/bad/feed.xml"
cp "$HERE/sitemaps/bad.xml" "$W/bad/sitemap.xml"
cp -r "$W/good" "$W/malformed" && cp "$HERE/feeds/malformed.xml" "$W/malformed/feed.xml"
cp -r "$W/good" "$W/nofeed" && rm "$W/nofeed/feed.xml" "$W/nofeed/sitemap.xml"
cp -r "$W/good" "$W/warn" && sed -i '/atom:link/d' "$W/warn/feed.xml"

pass=0 fail=0
expect() { # expect WANT(pass|fail|skip) DIR CHECK
  local want=$1 dir=$2 check=$3 out got
  set +e
  out="$(TMPDIR="$W" bash "$CHECK" "$W/$dir" "$check" 2>&1)"
  set -e
  got="$(printf '%s\n' "$out" | awk -v c="$check" '$2 == c { print tolower($1); exit }')"
  if [ "$got" = "$want" ]; then
    pass=$((pass + 1))
    printf 'ok    %-7s on %-9s -> %s\n' "$check" "$dir" "$got"
  else
    fail=$((fail + 1))
    printf 'FAIL  %-7s on %-9s -> %s, want %s\n' "$check" "$dir" "${got:-?}" "$want"
    printf '%s\n' "$out" | tail -n 20 | sed 's/^/      /'
  fi
}

for c in html links sitemap feed; do expect pass good "$c"; done
for c in html links sitemap feed; do expect fail bad "$c"; done
expect fail malformed feed
expect fail warn feed # --strict: one warning fails
expect skip nofeed feed
expect skip nofeed sitemap
if [ "${1:-}" = --a11y ]; then
  expect pass good a11y
  expect fail bad a11y
fi
echo "selftest: $pass passed, $fail failed"
[ "$fail" = 0 ]
