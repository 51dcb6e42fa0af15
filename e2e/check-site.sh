#!/usr/bin/env bash
# Checks a built site folder with the third-party checkers (after
# `bash e2e/install.sh`):
#
#   bash e2e/check-site.sh PUBLIC_DIR [CHECK...]
#
# CHECK is any of: html links sitemap feed a11y (default: all five; a11y
# needs chromium). Prints PASS/FAIL/SKIP per check and ends with
# "check-site: N passed, N failed, N skipped". Exit 0 only if none failed.
# sitemap and feed are skipped (with a SKIP line) while PUBLIC_DIR has no
# sitemap.xml / feed.xml.
set -euo pipefail

if [ $# -lt 1 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'
  exit 64
fi
PUBLIC_DIR=$1
shift
checks=("$@")
[ ${#checks[@]} -gt 0 ] || checks=(html links sitemap feed a11y)

# shellcheck source=e2e/checks.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/checks.sh"
trap 'if [ "$e2e_failed" = 0 ]; then rm -rf "$E2E_LOGDIR"; fi' EXIT
if [ ! -d "$PUBLIC_DIR" ]; then
  echo "check-site: no such directory: $PUBLIC_DIR" >&2
  exit 2
fi
for c in "${checks[@]}"; do
  case $c in
    html | links | sitemap | feed | a11y) run_check "$c" "check_$c" "$PUBLIC_DIR" ;;
    *) echo "check-site: unknown check $c (html links sitemap feed a11y)" >&2; exit 64 ;;
  esac
done
if [ "$e2e_failed" != 0 ]; then echo "logs kept in $E2E_LOGDIR"; fi
print_summary check-site
[ "$e2e_failed" = 0 ]
