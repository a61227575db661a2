#!/usr/bin/env bash
# The project's entry point on a fresh machine.
#   scripts/dev.sh demo    run the example workflows in a real n8n against the bundled sandbox
#   scripts/dev.sh start   n8n with this package and the examples on the sandbox at http://localhost:5678
#   scripts/dev.sh test    install, lint, build and run every test layer
#   scripts/dev.sh bench   run the benchmarks
#   scripts/dev.sh setup   install and build only
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
cd "$root"
source "$here/toolchain.sh"

install_dependencies() {
  local stamp="node_modules/.connectors-install"
  local want
  want="$(node --version) $(sha256sum package-lock.json | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    # Scripts off, as n8n's Community Nodes installer does: nothing here needs a
    # native build (better-sqlite3 ships Node-API prebuilds). `npm ci` installs
    # exactly the committed lock, and fails if package.json and the lock disagree;
    # the lock lists every platform's optional packages, which `npm ci` requires.
    npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
    echo "$want" > "$stamp"
  fi
}

build() {
  npm run --silent build
}

# The browser tests drive Debian's Chromium (playwright-core downloads no browser).
ensure_chromium() {
  [ -x /usr/bin/chromium ] && return 0
  echo "Installing Chromium for the browser tests (apt-get, once)…" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium > /dev/null
}

# The queue-mode tests run n8n on PostgreSQL 15 and Redis, both started by the
# test harness from these binaries (no system service is started or used).
ensure_queue_services() {
  local packages=()
  [ -x /usr/lib/postgresql/15/bin/initdb ] || packages+=(postgresql-15)
  command -v redis-server > /dev/null || packages+=(redis-server)
  [ ${#packages[@]} = 0 ] && return 0
  echo "Installing ${packages[*]} for the queue-mode tests (apt-get, once)…" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${packages[@]}" > /dev/null
}

case "${1:-}" in
  setup)
    install_dependencies
    build
    ;;
  test)
    install_dependencies
    npm run --silent lint
    build
    bash "$here/ensure-n8n.sh" > /dev/null
    ensure_chromium
    ensure_queue_services
    shift
    results="$(mktemp)"
    set +e
    # Two test files at a time even on 2 cores: the real-n8n layers mostly wait on n8n processes.
    workers=()
    case " $* " in *" --maxWorkers"*|*" -w "*|*" --runInBand "*|*" -i "*) ;; *) workers=(--maxWorkers=2) ;; esac
    # --forceExit: a child process a failed test left behind must not hold the run open until CI gives up.
    npx jest --json --forceExit --outputFile="$results" "${workers[@]}" "$@"
    status=$?
    set -e
    node -e '
      const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
      console.log(`${r.numPassedTests} passed, ${failed} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
    ' "$results" || echo "0 passed, 1 failed"
    rm -f "$results"
    exit $status
    ;;
  demo)
    install_dependencies
    build
    n8n_bin="$(bash "$here/ensure-n8n.sh")"
    exec node --import tsx scripts/demo.ts demo "$n8n_bin"
    ;;
  start)
    install_dependencies
    build
    n8n_bin="$(bash "$here/ensure-n8n.sh")"
    export N8N_USER_FOLDER="${N8N_USER_FOLDER:-$root/.n8n-local}"
    bash "$here/install-package.sh" "$N8N_USER_FOLDER" > /dev/null
    # The sandbox (fake Drive and Notion, a document index) with the example workflows loaded.
    exec node --import tsx scripts/demo.ts start "$n8n_bin"
    ;;
  bench)
    install_dependencies
    build
    shift
    node --import tsx scripts/bench.ts "$@"
    ;;
  *)
    sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
