#!/usr/bin/env bash
# Installs this package into an n8n user folder exactly the way n8n 2.x's
# Community Nodes installer does: the packed tarball unpacked into
# <user folder>/.n8n/nodes/node_modules/<package>, dev/peer/optional
# dependencies dropped, then `npm install --ignore-scripts=true
# --install-strategy=shallow` inside it. No install script runs, so the package
# must work without native builds (better-sqlite3 falls back to node:sqlite).
# Usage: install-package.sh <n8n user folder> [<packed tarball>]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
source "$here/toolchain.sh"

user_folder="$1"
tarball="${2:-}"
name="$(node -p "require('$root/package.json').name")"
nodes_dir="$user_folder/.n8n/nodes"
target="$nodes_dir/node_modules/$name"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if [ -z "$tarball" ]; then
  tarball="$work/$(cd "$root" && npm pack --silent --pack-destination "$work" | tail -n 1)"
fi

rm -rf "$target" && mkdir -p "$target"
tar -xzf "$tarball" -C "$target" --strip-components=1
node -e '
  const fs = require("fs"); const file = process.argv[1];
  const { devDependencies, peerDependencies, optionalDependencies, ...pkg } = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2));
' "$target/package.json"
(cd "$target" && npm install --audit=false --fund=false --bin-links=false \
  --install-strategy=shallow --ignore-scripts=true --package-lock=false --loglevel=error >&2)

# The ledger n8n keeps beside node_modules.
node -e '
  const fs = require("fs"); const [file, name, version] = process.argv.slice(1);
  let ledger = { name: "installed-nodes", private: true, dependencies: {} };
  try { ledger = JSON.parse(fs.readFileSync(file, "utf8")); } catch {}
  ledger.dependencies = { ...(ledger.dependencies || {}), [name]: version };
  fs.writeFileSync(file, JSON.stringify(ledger, null, 2));
' "$nodes_dir/package.json" "$name" "$(node -p "require('$target/package.json').version")"
echo "$target"
