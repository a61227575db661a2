#!/usr/bin/env bash
# Installs the pinned n8n once into the toolchain cache (outside the repo) and
# prints the path of its `n8n` executable.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/toolchain.sh"

N8N_VERSION="2.41.1"
dir="$CONNECTORS_TOOLCHAIN_DIR/n8n-$N8N_VERSION"
bin="$dir/node_modules/n8n/bin/n8n"

if [ ! -f "$dir/.installed" ]; then
  # Two first runs at once (two clones, two terminals) must not delete each
  # other's half-done install: the second waits, then finds it installed.
  mkdir -p "$CONNECTORS_TOOLCHAIN_DIR"
  exec 9> "$CONNECTORS_TOOLCHAIN_DIR/.n8n-$N8N_VERSION.lock"
  flock 9
fi
if [ ! -f "$dir/.installed" ]; then
  echo "Installing n8n $N8N_VERSION into $dir (once, about 4 minutes)…" >&2
  rm -rf "$dir" && mkdir -p "$dir"
  # linkedom 0.18.15 depends on a package the registry does not serve.
  cat > "$dir/package.json" <<JSON
{ "name": "n8n-runtime", "private": true,
  "dependencies": { "n8n": "$N8N_VERSION" },
  "overrides": { "linkedom": "0.18.12" } }
JSON
  (cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error >&2 \
    && npm rebuild sqlite3 --loglevel=error >&2)
  touch "$dir/.installed"
fi
echo "$bin"
