#!/usr/bin/env bash
# Installs and starts what the lab needs on this machine, reusing whatever is already there:
# the Docker engine, debootstrap and Maven, Node, the npm packages, the lab images, the Temporal CLI,
# PostgreSQL and the Temporal server build.
# Each missing piece that cannot be installed stops the script with one line naming the fix.
# --check-tools: only what `npm run check` needs (Node, the npm packages and the Temporal CLI), no Docker.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '· setup: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 3; }
is_root() { [ "$(id -u)" = 0 ]; }
APT_UPDATED=
apt_install() {
  is_root || die "$1 is missing and installing it needs root (fix: sudo apt-get install $*)"
  if [ -z "$APT_UPDATED" ]; then apt-get update -qq >/dev/null; APT_UPDATED=1; fi
  say "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# 1. Docker engine: reuse one that answers, else install Debian's docker.io and start dockerd.
docker_engine() {
if docker info >/dev/null 2>&1; then
  say "Docker engine answers: reusing it"
elif [ -n "${DOCKER_HOST:-}" ]; then
  die "Docker at DOCKER_HOST=$DOCKER_HOST does not answer (fix: start it, or unset DOCKER_HOST)"
else
  command -v dockerd >/dev/null 2>&1 || apt_install docker.io
  is_root || die "dockerd is installed but not running, and starting it needs root (fix: sudo dockerd &)"
  say "starting dockerd (log: /var/log/kafka-lab-dockerd.log)"
  nohup dockerd >/var/log/kafka-lab-dockerd.log 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || die "dockerd did not start (fix: read /var/log/kafka-lab-dockerd.log)"
fi
}

# 2. Tools the image build uses.
build_tools() {
command -v debootstrap >/dev/null 2>&1 || [ -x /usr/sbin/debootstrap ] || apt_install debootstrap
command -v mvn >/dev/null 2>&1 || apt_install maven
command -v tar >/dev/null 2>&1 || apt_install tar
}
# Go builds the Temporal CLI and the link proxy (Toxiproxy) from the Go module proxy.
go_tool() {
command -v go >/dev/null 2>&1 || apt_install golang-go
}

# 3. Node >= package.json's engines.node: the host's, else one from the npm registry (infra/node.sh).
node_runtime() {
command -v npm >/dev/null 2>&1 || apt_install npm
bash infra/node.sh
hash -r
}

# 4. npm packages, installed anew when the lockfile changed or when they were built by another Node
#    (native addons are built for one Node ABI). node-gyp builds against the running Node's own headers
#    (a nodedir set in ~/.npmrc may name an older Node's).
#    The native Kafka client (librdkafka, for --producer librdkafka) is the optional dependency
#    @confluentinc/kafka-javascript, whose own install downloads from project sites; it builds from its
#    npm package against Debian's libraries instead (CKJS_LINKING=dynamic), about 2 minutes on 2 cores.
#    LAB_NATIVE_PRODUCER=skip leaves it out (the load then runs on kafkajs only).
NATIVE_DEV_PACKAGES="zlib1g-dev libssl-dev libzstd-dev libsasl2-dev liblz4-dev libcurl4-openssl-dev"
NATIVE_CLIENT=@confluentinc/kafka-javascript
NATIVE_LOG=/tmp/kafka-lab-native-build.log
NATIVE_PID=
native_ready() { node -e "require('$NATIVE_CLIENT')" >/dev/null 2>&1; }
npm_packages() {
native=${LAB_NATIVE_PRODUCER:-build}
if [ "$native" != skip ]; then
  missing=
  for p in $NATIVE_DEV_PACKAGES; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    is_root || die "the native Kafka client needs$missing to build (fix: sudo apt-get install$missing, or LAB_NATIVE_PRODUCER=skip)"
    # shellcheck disable=SC2086
    apt_install $missing
  fi
  export CKJS_LINKING=dynamic
fi
abi=$(node -p process.versions.modules)
prefix=$(node -p 'path.dirname(path.dirname(fs.realpathSync(process.execPath)))')
if [ -f "$prefix/include/node/node_version.h" ]; then export npm_config_nodedir=$prefix; fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ] \
  || [ "$(cat node_modules/.lab-node-abi 2>/dev/null)" != "$abi" ]; then
  say "npm ci (Node $(node --version))"
  # Install scripts wait: every one but the native client's runs now; that compile (a minute or two)
  # runs in the background beside the image builds (native_wait).
  # once more when the registry drops a download midway (ECONNRESET happens on an empty npm cache)
  npm_ci() { npm ci --no-audit --no-fund --ignore-scripts >/dev/null; }
  npm_ci || { say "npm ci failed; trying once more"; npm_ci; } \
    || die "npm ci failed twice (fix: check that https://registry.npmjs.org answers, then run again)"
  # shellcheck disable=SC2046
  npm rebuild $(npm query ':attr(scripts, [install]), :attr(scripts, [postinstall]), :attr(scripts, [preinstall])' \
    | node -e "let s='';process.stdin.on('data',(d)=>(s+=d)).on('end',()=>console.log(JSON.parse(s).map((p)=>p.name).filter((n)=>n!=='$NATIVE_CLIENT').join(' ')))") >/dev/null
  echo "$abi" >node_modules/.lab-node-abi
fi
if [ "$native" != skip ] && ! native_ready; then
  say "npm rebuild $NATIVE_CLIENT in the background (the native Kafka client, once; log $NATIVE_LOG)"
  npm rebuild "$NATIVE_CLIENT" >"$NATIVE_LOG" 2>&1 &
  NATIVE_PID=$!
fi
}
native_wait() {
if [ -n "$NATIVE_PID" ]; then
  wait "$NATIVE_PID" || true
  NATIVE_PID=
  native_ready || die "the native Kafka client did not build (fix: read $NATIVE_LOG, or LAB_NATIVE_PRODUCER=skip)"
  say "native Kafka client built"
fi
}

# 5. Lab images (built locally; existing ones are reused). While the Temporal CLI compiles, the
#    Kafka and registry images leave out their class-data archives' training (two JVMs under load for
#    about a minute, which would push the compile's end out by as much); the next setup trains them.
lab_images() {
if [ "${LAB_IMAGES:-built}" = built ]; then
  # LAB_IMAGES_SKIP (the drill's: toxiproxy) leaves images for the first lab that needs them
  defer=; if [ -n "$CLI_PID" ] && kill -0 "$CLI_PID" 2>/dev/null; then defer=--defer-training; fi
  node bin/lab.js images build ${LAB_IMAGES_SKIP:+--skip "$LAB_IMAGES_SKIP"} $defer
fi
}

# 6. Temporal CLI (dev server with its Web UI), built through the Go module proxy. Its compile
#    (about 2 minutes) runs in the background from the moment Go is there, beside npm ci and the image
#    builds; temporal_cli_wait waits for it. Its version is read from infra/images.ts with sed: the npm
#    packages are not there yet when it starts.
CLI_PID=
CLI_LOG=/tmp/kafka-lab-temporal-cli.log
# a setup that stops early stops the background builds too
trap 'for p in $CLI_PID $NATIVE_PID; do pkill -P "$p" 2>/dev/null; kill "$p" 2>/dev/null; done; true' EXIT
temporal_cli_start() {
if ! command -v temporal >/dev/null 2>&1 && [ ! -x "${LAB_TEMPORAL_BIN:-/usr/local/bin/temporal}" ]; then
  command -v go >/dev/null 2>&1 || die "the Temporal CLI is missing and Go >= 1.25 is needed to build it (fix: install Go, or put temporal on PATH)"
  version=$(sed -n "s/^ *temporalCli: '\(v[^']*\)'.*/\1/p" infra/images.ts)
  [ -n "$version" ] || die "no temporalCli version in infra/images.ts (fix: restore the file from git)"
  say "go install github.com/temporalio/cli/cmd/temporal@$version in the background (a few minutes, once; log $CLI_LOG)"
  # -s -w: no symbol table or DWARF, which the link step spends seconds writing; CGO_ENABLED=0 as in
  # the CLI's own release build (and no C compiles: 14 s less of a 244 s compile, docs/measurements.md);
  # -N -l: no optimisation or inlining, a quarter less CPU to compile, for a dev server that spends
  # about a CPU-second per drill either way (docs/measurements.md)
  CGO_ENABLED=0 GOBIN="$(is_root && echo /usr/local/bin || echo "$HOME/.local/bin")" go install -gcflags='all=-N -l' -ldflags='-s -w' \
    "github.com/temporalio/cli/cmd/temporal@$version" >"$CLI_LOG" 2>&1 &
  CLI_PID=$!
  # a setup that stops early does not leave the compile running
fi
}
temporal_cli_wait() {
if [ -n "$CLI_PID" ]; then
  wait "$CLI_PID" || { CLI_PID=; die "go install of the Temporal CLI failed (fix: read $CLI_LOG)"; }
  CLI_PID=
  say "Temporal CLI built"
fi
}
# 7. A real Temporal server for the tests that need one (test/integration/temporal-server.test.ts):
#    Debian's PostgreSQL and go.temporal.io/server built through the Go module proxy into
#    ~/.cache/kafka-lab (once per machine; every clone reuses it). LAB_SKIP_TEMPORAL_SERVER=1 skips it.
temporal_server() {
if [ "${LAB_SKIP_TEMPORAL_SERVER:-}" != 1 ]; then
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || apt_install postgresql
  bash infra/temporal-server.sh build
fi
}
# 8. Chromium for the browser tests (Debian's; Playwright's own download cannot run here).
browser() {
if [ "${LAB_SKIP_BROWSER:-}" != 1 ] && [ ! -x /usr/bin/chromium ]; then
  apt_install chromium
fi
}

case "${1:-}" in
  --check-tools) temporal_cli_start; node_runtime; npm_packages; native_wait; temporal_cli_wait ;;
  # Go first and the CLI's compile from then on: it is the longest step, and apt's installs overlap it
  '') go_tool; temporal_cli_start; docker_engine; build_tools; node_runtime; npm_packages; lab_images; native_wait; temporal_cli_wait; temporal_server; browser ;;
  *) die "unknown argument $1 (fix: no argument for everything, or --check-tools for what npm run check needs)" ;;
esac
say "ready"
