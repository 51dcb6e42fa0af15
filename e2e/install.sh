#!/usr/bin/env bash
# Installs the third-party checkers the e2e checks need. Idempotent: a re-run
# skips what is already there and takes about a second.
#
#   bash e2e/install.sh
#
# Sources, and nothing else is downloaded:
#   - Debian apt: chromium, libxml2-utils (xmllint), openjdk-17-jre-headless
#     (for vnu.jar), fonts-liberation - only the missing ones.
#   - the npm registry: `npm ci --ignore-scripts` from e2e/package-lock.json
#     (exact versions). Install scripts are skipped: vnu-jar's postinstall
#     would fetch a JDK from GitHub; playwright-core never downloads a browser
#     here (never run `npx playwright install`), it drives Debian's chromium.
#   - the Go module proxy: htmltest, built from the pinned module
#     e2e/gotools/go.mod + go.sum.
#
# Products, all git-ignored:
#   e2e/node_modules/     npm packages (+ .shownotes-lock.sha256 stamp)
#   e2e/.bin/htmltest     link checker (+ .htmltest.sha256 stamp)
set -euo pipefail

E2E="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log() { printf '[e2e/install] %s\n' "$*"; }
die() { printf '[e2e/install] ERROR: %s\n' "$*" >&2; exit 1; }
SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || die "not root and no sudo: cannot apt-get install"
  SUDO="sudo"
fi
for tool in go node npm; do
  command -v "$tool" >/dev/null || die "$tool not found on PATH"
done
t_all=$SECONDS

# ---- 1. Debian packages (only the missing ones) ------------------------------
APT_PKGS=(chromium libxml2-utils openjdk-17-jre-headless fonts-liberation)
missing=()
for p in "${APT_PKGS[@]}"; do
  if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  t=$SECONDS
  log "apt-get install ${missing[*]}"
  # openjdk's postinst fails on slim images that lack this folder.
  $SUDO mkdir -p /usr/share/man/man1
  $SUDO apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
    -o Dpkg::Use-Pty=0 "${missing[@]}" >/dev/null
  log "apt: done in $((SECONDS - t)) s"
else
  log "apt: ${APT_PKGS[*]} already installed"
fi
[ -x /usr/bin/chromium ] || die "/usr/bin/chromium missing after apt install"
command -v xmllint >/dev/null || die "xmllint missing after apt install"
command -v java >/dev/null || die "java missing after apt install"

# ---- 2. npm packages (exact, from the lockfile) ------------------------------
stamp="$E2E/node_modules/.shownotes-lock.sha256"
want="$(cat "$E2E/package.json" "$E2E/package-lock.json" | sha256sum | cut -d' ' -f1)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
  [ -f "$E2E/node_modules/vnu-jar/build/dist/vnu.jar" ]; then
  log "npm: e2e/node_modules up to date"
else
  t=$SECONDS
  log "npm ci --ignore-scripts (e2e/package-lock.json)"
  (cd "$E2E" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
  [ -f "$E2E/node_modules/vnu-jar/build/dist/vnu.jar" ] || die "vnu.jar missing after npm ci"
  echo "$want" >"$stamp"
  log "npm: done in $((SECONDS - t)) s"
fi

# ---- 3. Go tools (htmltest) --------------------------------------------------
BIN="$E2E/.bin"
gostamp="$BIN/.htmltest.sha256"
gowant="$(cat "$E2E/gotools/go.mod" "$E2E/gotools/go.sum" | sha256sum | cut -d' ' -f1)"
if [ -x "$BIN/htmltest" ] && [ -f "$gostamp" ] && [ "$(cat "$gostamp")" = "$gowant" ]; then
  log "go: e2e/.bin/htmltest up to date"
else
  t=$SECONDS
  log "go build htmltest (e2e/gotools/go.mod)"
  mkdir -p "$BIN"
  # 'go install github.com/wjdp/htmltest@v0.17.0' does not work (the proxy
  # refuses its version list); building from the pinned module does.
  ver="$(cd "$E2E/gotools" && go list -m -f '{{.Version}}' github.com/wjdp/htmltest)"
  (cd "$E2E/gotools" && GOFLAGS=-mod=readonly go build -trimpath \
    -ldflags "-X main.version=$ver" -o "$BIN/htmltest" github.com/wjdp/htmltest)
  echo "$gowant" >"$gostamp"
  log "go: done in $((SECONDS - t)) s"
fi

# ---- 4. versions -------------------------------------------------------------
if [ "${E2E_INSTALL_QUIET:-0}" != 1 ]; then
  log "chromium: $(/usr/bin/chromium --version 2>/dev/null || echo '?')"
  log "java: $(java -version 2>&1 | head -1)"
  log "xmllint: $(xmllint --version 2>&1 | head -1)"
  log "htmltest: $("$BIN/htmltest" --version 2>&1 | head -1)"
  log "npm: $(cd "$E2E" && node -e '
    const fs = require("fs");
    const pkgs = Object.keys(JSON.parse(fs.readFileSync("package.json")).dependencies);
    console.log(pkgs.map((p) => p + "@" + JSON.parse(fs.readFileSync("node_modules/" + p + "/package.json")).version).join(" "));
  ')"
fi
log "ready in $((SECONDS - t_all)) s"
