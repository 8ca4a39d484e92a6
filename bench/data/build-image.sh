#!/usr/bin/env bash
# Builds the benches' 3-layer OCI image and prints where it is:
#   layer 1  a Debian bookworm rootfs (mmdebstrap --variant=minbase)
#   layer 2  a deep tree of many small files (npm-installed node_modules under /opt/app)
#   layer 3  changes, mode changes, additions and deletions (whiteouts) across the whole tree
# Packed with umoci (gzip layers); the uncompressed layer tars sit next to the layout.
#
#   bench/data/build-image.sh          real data (~2 min the first time, then cached)
#   bench/data/build-image.sh --small  a small synthetic image of the same shape (seconds; for CI)
#
# Cached outside the repository in $STRATUM_BENCH_CACHE (default /var/cache/stratum-bench), under
# a key of this script's and synthetic-tree.mjs's contents. When the real rootfs or node_modules
# cannot be built (no mmdebstrap, no mirror, no npm registry) it says so in one line on stderr
# and builds a synthetic tree of the same shape in its place; the last lines printed say which.
# Output (stdout, last lines): layout=<dir> tag=<tag> / tars=<dir> / data=real|synthetic|...
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
variant=real
[[ "${1:-}" == --small ]] && variant=small
key=$(cat "$here/build-image.sh" "$here/synthetic-tree.mjs" | sha256sum | cut -c1-12)
cache=${STRATUM_BENCH_CACHE:-/var/cache/stratum-bench}
out="$cache/$key/$variant"
tag=bench

say() { echo "build-image: $*" >&2; }

if [[ -f "$out/done" ]]; then
  echo "layout=$out/layout tag=$tag"
  echo "tars=$out/tars"
  cat "$out/done"
  exit 0
fi
command -v umoci >/dev/null || { say "cannot pack: umoci is not installed (apt-get install -y umoci)"; exit 1; }

rm -rf "$out"
mkdir -p "$out/tars"
work=$(mktemp -d "$cache/$key/work-XXXXXX")
trap 'rm -rf "$work"' EXIT
layout="$out/layout"
bundle="$work/bundle"
umoci init --layout "$layout"
umoci new --image "$layout:$tag"
umoci unpack --image "$layout:$tag" "$bundle" >/dev/null
rootfs="$bundle/rootfs"
repack() { umoci repack --refresh-bundle --history.created_by "$1" --image "$layout:$tag" "$bundle"; }
data1=synthetic data2=synthetic

# layer 1: the rootfs
if [[ $variant == real ]]; then
  if command -v mmdebstrap >/dev/null \
    && mmdebstrap --quiet --variant=minbase --mode=auto bookworm "$work/rootfs.tar" >"$work/mmdebstrap.log" 2>&1; then
    tar -xpf "$work/rootfs.tar" --numeric-owner --xattrs --xattrs-include='*' -C "$rootfs"
    rm "$work/rootfs.tar"
    data1=real
  else
    say "no real Debian rootfs (mmdebstrap missing or failed: $(tail -1 "$work/mmdebstrap.log" 2>/dev/null || echo not installed)); using a synthetic tree of the same shape"
    node "$here/synthetic-tree.mjs" rootfs "$rootfs" 1
  fi
else
  node "$here/synthetic-tree.mjs" rootfs "$rootfs" 0.04
fi
repack "layer 1: rootfs"

# layer 2: many small files, deep
mkdir -p "$rootfs/opt/app"
if [[ $variant == real ]]; then
  echo '{"name":"bench-app","version":"1.0.0","private":true}' >"$rootfs/opt/app/package.json"
  if command -v npm >/dev/null && (cd "$rootfs/opt/app" && npm install --silent --no-audit --no-fund --ignore-scripts \
    --no-package-lock --cache "$work/npm-cache" express@4 eslint@8 jest@29 webpack@5 lodash@4 date-fns@2 rxjs@7) >"$work/npm.log" 2>&1; then
    data2=real
  else
    say "no real node_modules (npm install failed: $(tail -1 "$work/npm.log" 2>/dev/null || echo npm not installed)); using a synthetic tree of the same shape"
    rm -rf "$rootfs/opt/app/node_modules"
    node "$here/synthetic-tree.mjs" modules "$rootfs/opt/app/node_modules" 1
  fi
else
  node "$here/synthetic-tree.mjs" modules "$rootfs/opt/app/node_modules" 0.04
fi
repack "layer 2: node_modules"

# layer 3: every 37th file rewritten, every 53rd deleted, every 101st chmod'ed, whole directories
# deleted, new files added; picked from the sorted listing, so the same data gives the same layer
cd "$rootfs"
find . -type f -print0 | sort -z >"$work/files"
awk 'BEGIN { RS = "\0"; ORS = "\0" } NR % 37 == 0' "$work/files" | xargs -0 -r -n 500 sh -c 'for f; do printf "changed by layer 3\n" >>"$f"; done' sh
awk 'BEGIN { RS = "\0"; ORS = "\0" } NR % 101 == 0' "$work/files" | xargs -0 -r chmod 0600
awk 'BEGIN { RS = "\0"; ORS = "\0" } NR % 53 == 0' "$work/files" | xargs -0 -r rm -f
find . -mindepth 2 -maxdepth 6 -type d -print0 | sort -z | awk 'BEGIN { RS = "\0"; ORS = "\0" } NR % 97 == 0' | xargs -0 -r rm -rf
mkdir -p etc/bench opt/app/cache/a/b/c
for i in $(seq 1 200); do printf 'new %d\n' "$i" >"etc/bench/new-$i"; done
for i in $(seq 1 200); do printf 'cached %d\n' "$i" >"opt/app/cache/a/b/c/entry-$i.json"; done
cd - >/dev/null
repack "layer 3: changes and deletions"
umoci gc --layout "$layout"

# the uncompressed layer tars, in order
manifest=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1] + "/index.json")).manifests[0].digest.slice(7))' "$layout")
node -e 'for (const l of JSON.parse(require("fs").readFileSync(process.argv[1])).layers) console.log(l.digest.slice(7))' "$layout/blobs/sha256/$manifest" \
  | { n=1; while read -r d; do gzip -dc "$layout/blobs/sha256/$d" >"$out/tars/layer$n.tar"; n=$((n + 1)); done; }

{
  echo "data=$variant layer1=$data1 layer2=$data2"
  for t in "$out"/tars/layer*.tar; do
    echo "$(basename "$t"): $(tar -tf "$t" | wc -l) entries, $(($(stat -c %s "$t") / 1048576)) MiB"
  done
} >"$out/done"
echo "layout=$layout tag=$tag"
echo "tars=$out/tars"
cat "$out/done"
