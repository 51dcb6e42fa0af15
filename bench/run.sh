#!/usr/bin/env bash
# bench/run.sh: time `shownotes build` on generated corpora against a floor
# (bench/floor: read + goldmark + write, nothing else) and, when available,
# Hugo on an equivalent site (bench/hugo/). Prints a Markdown table.
#
#   bash bench/run.sh                          # N = 1000 and 10000, 3 runs each
#   BENCH_N=1000 BENCH_RUNS=5 bash bench/run.sh
#   BENCH_HUGO=1 bash bench/run.sh             # apt-get install hugo if missing
#
# Environment (all optional):
#   BENCH_DIR      where everything is written (default /tmp/shownotes-bench);
#                  never inside the repository
#   BENCH_N        episode counts, space-separated (default "1000 10000")
#   BENCH_RUNS     timed runs per measurement; the median is reported (default 3)
#   BENCH_SEED     corpus seed (default 1)
#   BENCH_HUGO     1: install Hugo with apt if missing and compare;
#                  0: skip Hugo; auto (default): compare if hugo is installed
#   BENCH_REBUILD  1 (default): also time a rebuild after changing one episode
#   BENCH_LABEL    the version shown for shownotes (default: git commit)
#   BENCH_TABLE_ONLY  1: measure nothing, print the table of the last run
#                  in BENCH_DIR again
#
# Each measurement runs under /usr/bin/time -v (wall, user+sys CPU, peak
# RSS). "Cold" means no output folder and no .shownotes-cache/ (an untimed
# warm-up build first fills the OS page cache and writes feed.lock, so every
# timed run starts from the same state). Run it on a quiet machine: one
# heavy thing at a time.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_DIR="${BENCH_DIR:-/tmp/shownotes-bench}"
BENCH_N="${BENCH_N:-1000 10000}"
BENCH_RUNS="${BENCH_RUNS:-3}"
BENCH_SEED="${BENCH_SEED:-1}"
BENCH_HUGO="${BENCH_HUGO:-auto}"
BENCH_REBUILD="${BENCH_REBUILD:-1}"
BENCH_TABLE_ONLY="${BENCH_TABLE_ONLY:-0}"

die() { echo "bench: $*" >&2; exit 1; }

[[ "$BENCH_RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, got '$BENCH_RUNS'"
[[ "$BENCH_SEED" =~ ^[0-9]+$ ]] || die "BENCH_SEED must be a non-negative integer, got '$BENCH_SEED'"
for n in $BENCH_N; do
  [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "BENCH_N must list positive integers, got '$n'"
done
case "$BENCH_HUGO" in 0 | 1 | auto) ;; *) die "BENCH_HUGO must be 0, 1 or auto, got '$BENCH_HUGO'" ;; esac

BENCH_DIR="$(realpath -m "$BENCH_DIR")"
case "$BENCH_DIR/" in
  "$(realpath "$REPO")/"*) die "BENCH_DIR ($BENCH_DIR) is inside the repository; use a folder outside it" ;;
esac
mkdir -p "$BENCH_DIR"
BIN="$BENCH_DIR/bin"
RES="$BENCH_DIR/results"
LOGS="$BENCH_DIR/logs"

# median COLUMN FILE, minimum COLUMN FILE
median() {
  awk -v c="$1" '{ print $c }' "$2" | sort -g |
    awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}
minimum() { awk -v c="$1" '{ print $c }' "$2" | sort -g | head -n 1; }

# table: the Markdown table of everything in $RES, also kept as results.md.
table() {
  local hw fw w wmin c m row key label version
  {
    echo "Medians of $(cat "$RES/runs" 2>/dev/null) runs (wall min: the fastest run); $(nproc) cores ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), shared machine; corpus seed $(cat "$RES/seed" 2>/dev/null), ~30 KB per episode."
    echo
    echo "| tool | version | N | wall median (s) | wall min (s) | CPU (s) | peak RSS (MiB) | ms per episode | ratio to Hugo | ratio to floor |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    for N in $BENCH_N; do
      hw="" fw=""
      [ -s "$RES/hugo-$N.tsv" ] && hw="$(median 1 "$RES/hugo-$N.tsv")"
      [ -s "$RES/floor-$N.tsv" ] && fw="$(median 1 "$RES/floor-$N.tsv")"
      for row in "shownotes-$N|shownotes build (cold)|$(cat "$RES/shownotes.version" 2>/dev/null)" \
        "rebuild-$N|shownotes build (1 episode changed)|$(cat "$RES/shownotes.version" 2>/dev/null)" \
        "floor-$N|floor (read + goldmark + write)|$(cat "$RES/floor.version" 2>/dev/null)" \
        "hugo-$N|hugo|$(cat "$RES/hugo.version" 2>/dev/null)"; do
        IFS='|' read -r key label version <<<"$row"
        [ -s "$RES/$key.tsv" ] || continue
        w="$(median 1 "$RES/$key.tsv")" wmin="$(minimum 1 "$RES/$key.tsv")"
        c="$(median 2 "$RES/$key.tsv")" m="$(median 3 "$RES/$key.tsv")"
        awk -v label="$label" -v ver="$version" -v n="$N" -v w="$w" -v wmin="$wmin" -v c="$c" -v m="$m" -v hw="$hw" -v fw="$fw" 'BEGIN {
          rh = (hw != "" && hw > 0) ? sprintf("%.2f", w / hw) : "n/a"
          rf = (fw != "" && fw > 0) ? sprintf("%.2f", w / fw) : "n/a"
          printf "| %s | %s | %d | %.2f | %.2f | %.2f | %.0f | %.3f | %s | %s |\n", label, ver, n, w, wmin, c, m / 1024, w * 1000 / n, rh, rf
        }'
      done
    done
  } >"$BENCH_DIR/results.md"
  echo
  cat "$BENCH_DIR/results.md"
  echo
  echo "table:    $BENCH_DIR/results.md"
}

if [ "$BENCH_TABLE_ONLY" = 1 ]; then
  ls "$RES"/*.tsv >/dev/null 2>&1 || die "no results in $RES: run without BENCH_TABLE_ONLY first"
  table
  exit 0
fi

rm -rf "$RES"
mkdir -p "$BIN" "$RES" "$LOGS"

apt_install() { # PACKAGE...
  [ "$(id -u)" = 0 ] || die "need root to apt-get install $*"
  echo "== installing $* with apt-get"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >"$LOGS/apt.log" 2>&1; then
    apt-get update -qq >>"$LOGS/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >>"$LOGS/apt.log" 2>&1 ||
      die "apt-get install $* failed (see $LOGS/apt.log)"
  fi
}

[ -x /usr/bin/time ] || apt_install time
HUGO=""
if [ "$BENCH_HUGO" != 0 ]; then
  if ! command -v hugo >/dev/null && [ "$BENCH_HUGO" = 1 ]; then apt_install hugo; fi
  HUGO="$(command -v hugo || true)"
fi

echo "== building into $BIN"
(
  cd "$REPO"
  go build -o "$BIN/shownotes" .
  go build -o "$BIN/floor" ./bench/floor
  go build -o "$BIN/gencorpus" ./generator/internal/corpus/cmd/gencorpus
)
sn_version="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git -C "$REPO" status --porcelain 2>/dev/null)" ]; then sn_version+="-dirty"; fi
sn_version="${BENCH_LABEL:-$sn_version}"
floor_version="goldmark $(cd "$REPO" && go list -m -f '{{.Version}}' github.com/yuin/goldmark)"
hugo_version=""
[ -z "$HUGO" ] || hugo_version="$("$HUGO" version | awk '{print $2}' | sed 's/+extended//')"
echo "$sn_version" >"$RES/shownotes.version"
echo "$BENCH_RUNS" >"$RES/runs"
echo "$BENCH_SEED" >"$RES/seed"
echo "$floor_version" >"$RES/floor.version"
[ -z "$HUGO" ] || echo "$hugo_version" >"$RES/hugo.version"

# timed NAME CMD...: runs CMD under /usr/bin/time -v and appends
# "wall cpu rss_kib" to $RES/NAME.tsv.
timed() {
  local name=$1 log="$LOGS/$1.log"
  shift
  if ! /usr/bin/time -v -o "$LOGS/$name.time" "$@" >>"$log" 2>&1; then
    echo "bench: FAILED: $*" >&2
    tail -n 30 "$log" >&2
    exit 1
  fi
  awk -F': ' '
    /Elapsed \(wall clock\)/ { n = split($2, a, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + a[i] }
    /User time \(seconds\)/   { u = $2 }
    /System time \(seconds\)/ { s = $2 }
    /Maximum resident set size/ { r = $2 }
    END { printf "%.2f %.2f %d\n", w, u + s, r }' "$LOGS/$name.time" | tee -a "$RES/$name.tsv" |
    awk -v name="$name" '{ printf "   %-28s wall %6.2f s  cpu %6.2f s  rss %5.0f MiB\n", name, $1, $2, $3 / 1024 }'
}

count_pages() { # DIR: episode pages written
  find "$1/episodes" -mindepth 2 -maxdepth 2 -name index.html 2>/dev/null | wc -l
}

# Quiet the disk before a timed run so the previous run's writeback does
# not land in it.
settle() { sync; }

# Nothing is deleted between timed runs: an output is moved into $TRASH
# and the trash is emptied when the script ends. On ext4, creating a file
# within a minute of deleting many (five, while the deletions are not yet
# written back) makes the kernel step over every recently deleted inode
# (recently_deleted in fs/ext4/ialloc.c): with the previous run's 50,000
# files just deleted, a 10,000-episode build spent 9-24 s of system time
# instead of 4, and whichever tool wrote the most files paid the most.
TRASH="$BENCH_DIR/trash"
discard() { # PATH...: move out of the way, to be deleted at the end
  local p
  mkdir -p "$TRASH"
  for p in "$@"; do
    [ -e "$p" ] || continue
    mv "$p" "$TRASH/$(date +%s%N)-$(basename "$p")"
  done
}
empty_trash() { rm -rf "$TRASH"; }

restore_file="" restore_from=""
cleanup() {
  if [ -n "$restore_file" ]; then cp "$restore_from" "$restore_file"; fi
  empty_trash
}
trap cleanup EXIT

# Outputs (and trash) of an earlier run are deleted now, then the first
# timed run waits until they are more than a minute old (see discard).
deleted_at=0
if [ -e "$TRASH" ] || [ -e "$BENCH_DIR/out" ]; then
  echo "== deleting the outputs of an earlier run"
  rm -rf "$TRASH" "$BENCH_DIR/out"
  sync
  deleted_at=$(date +%s)
fi
wait_for_deletions() {
  local left=$((deleted_at + 65 - $(date +%s)))
  if [ "$deleted_at" -gt 0 ] && [ "$left" -gt 0 ]; then
    echo "   waiting ${left}s: files deleted a minute ago slow down creating new ones"
    sleep "$left"
  fi
  deleted_at=0
}

echo "== machine: $(nproc) cores, $(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "   (numbers from a machine shared with other work are noisy: compare within one run of this script)"

for N in $BENCH_N; do
  corpus="$BENCH_DIR/corpus-$N"
  stamp="seed=$BENCH_SEED n=$N"
  if [ "$(cat "$corpus/.bench-stamp" 2>/dev/null)" != "$stamp" ] || [ ! -d "$corpus/content" ]; then
    echo "== N=$N: generating corpus into $corpus"
    discard "$corpus"
    "$BIN/gencorpus" -n "$N" -seed "$BENCH_SEED" -out "$corpus"
    echo "$stamp" >"$corpus/.bench-stamp"
  else
    echo "== N=$N: reusing corpus $corpus"
  fi
  echo "   $(du -sh "$corpus/content" | cut -f1) in $(find "$corpus/content" -type f | wc -l) files"

  # (a) shownotes build, cold.
  out="$BENCH_DIR/out/shownotes-$N"
  echo "== N=$N: shownotes build (warm-up, then $BENCH_RUNS cold runs) -> $out"
  discard "$out" "$corpus/.shownotes-cache"
  (cd "$corpus" && "$BIN/shownotes" build -out "$out") >"$LOGS/shownotes-$N-warmup.log" 2>&1 ||
    { tail -n 30 "$LOGS/shownotes-$N-warmup.log"; die "shownotes build failed on N=$N"; }
  got="$(count_pages "$out")"
  [ "$got" = "$N" ] || die "shownotes wrote $got episode pages, want $N"
  wait_for_deletions
  for ((r = 1; r <= BENCH_RUNS; r++)); do
    discard "$out" "$corpus/.shownotes-cache"
    settle
    (cd "$corpus" && timed "shownotes-$N" "$BIN/shownotes" build -quiet -out "$out")
  done
  echo "   output: $(du -sh "$out" | cut -f1) in $(find "$out" -type f | wc -l) files"

  # Rebuild after changing one episode (output and any cache in place).
  if [ "$BENCH_REBUILD" = 1 ]; then
    echo "== N=$N: shownotes rebuild after changing one episode ($BENCH_RUNS runs)"
    victim="$(find "$corpus/content/episodes" -name '*.md' ! -name '*.transcript.md' | sort | sed -n "$(((N + 1) / 2))p")"
    cp "$victim" "$BENCH_DIR/victim.md.orig"
    restore_file="$victim" restore_from="$BENCH_DIR/victim.md.orig"
    for ((r = 1; r <= BENCH_RUNS; r++)); do
      printf '\nEdited for the rebuild benchmark, run %d.\n' "$r" >>"$victim"
      settle
      (cd "$corpus" && timed "rebuild-$N" "$BIN/shownotes" build -quiet -out "$out")
    done
    cp "$restore_from" "$victim"
    restore_file=""
    echo "   changed and restored: ${victim#"$corpus/"}"
  fi

  # (b) the floor.
  fout="$BENCH_DIR/out/floor-$N"
  echo "== N=$N: floor ($BENCH_RUNS runs) -> $fout"
  for ((r = 1; r <= BENCH_RUNS; r++)); do
    discard "$fout"
    settle
    timed "floor-$N" "$BIN/floor" -in "$corpus/content" -out "$fout"
  done
  got="$(find "$fout" -mindepth 2 -maxdepth 2 -name index.html | wc -l)"
  want="$(find "$corpus/content" -name '*.md' | wc -l)"
  [ "$got" = "$want" ] || die "floor wrote $got pages, want $want"

  # (c) Hugo on the same episodes.
  if [ -n "$HUGO" ]; then
    hsite="$BENCH_DIR/hugo-site-$N"
    hout="$BENCH_DIR/out/hugo-$N"
    echo "== N=$N: hugo $hugo_version (warm-up, then $BENCH_RUNS runs) site $hsite -> $hout"
    discard "$hsite"
    mkdir -p "$hsite/content/episodes" "$hsite/static/images"
    cp -r "$REPO/bench/hugo/." "$hsite/"
    # Episodes only (Hugo would render transcripts as pages), guests as
    # plain names (Hugo taxonomy terms are strings; ours may be objects).
    find "$corpus/content/episodes" -name '*.md' ! -name '*.transcript.md' -exec cp -t "$hsite/content/episodes" {} +
    find "$hsite/content/episodes" -name '*.md' -exec sed -i -E 's/^  - \{name: ("([^"\\]|\\.)*"),.*\}$/  - \1/' {} +
    cp "$corpus/content/images/"* "$hsite/static/images/"
    discard "$hout"
    (cd "$hsite" && "$HUGO" --quiet -d "$hout" --cacheDir "$BENCH_DIR/hugo-cache") >"$LOGS/hugo-$N-warmup.log" 2>&1 ||
      { tail -n 30 "$LOGS/hugo-$N-warmup.log"; die "hugo failed on N=$N"; }
    got="$(count_pages "$hout")"
    [ "$got" = "$N" ] || die "hugo wrote $got episode pages, want $N (see $LOGS/hugo-$N-warmup.log)"
    for ((r = 1; r <= BENCH_RUNS; r++)); do
      discard "$hout" "$hsite/resources"
      settle
      (cd "$hsite" && timed "hugo-$N" "$HUGO" --quiet -d "$hout" --cacheDir "$BENCH_DIR/hugo-cache")
    done
    echo "   output: $(du -sh "$hout" | cut -f1) in $(find "$hout" -type f | wc -l) files"
  fi
done

# ---- table ------------------------------------------------------------------
table
echo "outputs:  $BENCH_DIR/out/ (shownotes-N, floor-N, hugo-N); corpora: $BENCH_DIR/corpus-N/"
echo "logs:     $LOGS/ (per-run /usr/bin/time -v in *.time, raw numbers in $RES/)"
