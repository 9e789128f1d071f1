#!/usr/bin/env bash
# Provides the Node this project runs on when the host's `node` is older than package.json's
# engines.node: the official build that the npm registry ships as the package node-linux-<arch>
# (binary and headers inside the tarball; nothing comes from elsewhere), unpacked into a versioned
# folder and linked as `node` into a folder on PATH ahead of /usr/bin. npm, npx, the npm scripts,
# bin/lab.js and the worker image (it copies the CLI's Node binary) then all run on it, with no
# shell change.
#   root:     /usr/local/lib/kafka-lab/node/<version>, linked as /usr/local/bin/node
#   not root: ~/.cache/kafka-lab/node/<version>, linked as ~/.local/bin/node
# LAB_NODE_BIN_DIR moves the link (a test, or a PATH of your own).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_VERSION=24.22.3 # installed when the host's Node is older than engines.node

say() { printf '· setup: %s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 3; }
major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

need=$(node -p "/\d+/.exec(require('./package.json').engines.node)[0]")
have=$(major)
if [ "$have" -ge "$need" ]; then exit 0; fi

case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64) arch=arm64 ;;
  *) die "Node >= $need is needed and node-linux-* has no build for $(uname -m) (fix: put a Node >= $need on PATH)" ;;
esac
if [ "$(id -u)" = 0 ]; then
  home=/usr/local/lib/kafka-lab/node/$NODE_VERSION
  bin=${LAB_NODE_BIN_DIR:-/usr/local/bin}
else
  home=$HOME/.cache/kafka-lab/node/$NODE_VERSION
  bin=${LAB_NODE_BIN_DIR:-$HOME/.local/bin}
fi

if [ ! -x "$home/bin/node" ]; then
  say "Node $have is older than $need: installing node-linux-$arch@$NODE_VERSION from the npm registry into $home"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  npm pack --silent --pack-destination "$tmp" "node-linux-$arch@$NODE_VERSION" >/dev/null
  mkdir -p "$tmp/unpacked"
  tar -xzf "$tmp"/node-linux-*.tgz -C "$tmp/unpacked" --strip-components=1
  mkdir -p "$(dirname "$home")"
  rm -rf "$home" && mv "$tmp/unpacked" "$home"
fi
# A `node` there that is not a link (someone's own install) is theirs to replace, not ours.
if [ -e "$bin/node" ] && [ ! -L "$bin/node" ]; then
  die "$bin/node is Node $have, older than $need, and not a link this script made (fix: remove or upgrade it)"
fi
mkdir -p "$bin"
ln -sfn "$home/bin/node" "$bin/node"
hash -r
[ "$(major)" -ge "$need" ] \
  || die "Node $NODE_VERSION is linked as $bin/node, but $(command -v node) comes first on PATH (fix: put $bin ahead of $(dirname "$(command -v node)") in PATH)"
say "node is now $(command -v node) (Node $(node --version))"
