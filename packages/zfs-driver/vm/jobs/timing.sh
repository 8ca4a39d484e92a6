#!/usr/bin/env bash
# Guest job: where the time of a real-pool test goes under this machine's accelerator
# (zfs command cost, process spawn cost from Node, a create/snapshot/clone/destroy cycle).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
P=$STRATUM_ZFS_POOL
t() { local s e; s=$(date +%s%N); "$@" >/dev/null; e=$(date +%s%N); echo $(( (e - s) / 1000000 )); }
loop() { local n=$1; shift; local s e; s=$(date +%s%N); for _ in $(seq "$n"); do "$@" >/dev/null; done; e=$(date +%s%N); echo "$(( (e - s) / n / 1000000 )) ms each: $*"; }
loop 10 /bin/true
MNT=$(zfs get -H -o value mountpoint "$P")
loop 10 zfs list -H -o name "$P"
loop 10 zfs get -H -p -o value type "$P"
zfs create "$P/t"
# each <label> <command with $i>: runs it for i = 1..5, prints the mean
each() { local label=$1 cmd=$2 s e; s=$(date +%s%N); for i in 1 2 3 4 5; do eval "$cmd"; done; e=$(date +%s%N); echo "$(( (e - s) / 5000000 )) ms each: $label"; }
each 'zfs snapshot' 'zfs snapshot "$P/t@s$i"'
each 'zfs clone' 'zfs clone "$P/t@s$i" "$P/c$i"'
each 'zfs destroy (clone)' 'zfs destroy "$P/c$i"'
each 'zfs set user prop' 'zfs set "user:x=$i" "$P/t"'
loop 5 zfs diff -H -F "$P/t@s1" "$P/t@s5"
node -e "
const { spawnSync, execFileSync } = require('node:child_process');
const fs = require('node:fs');
function time(label, n, f) { const s = process.hrtime.bigint(); for (let i = 0; i < n; i++) f(i); console.log(Number((process.hrtime.bigint() - s) / BigInt(n)) / 1e6, 'ms each:', label); }
time('node spawnSync /bin/true', 10, () => spawnSync('/bin/true'));
time('node spawnSync zfs list', 10, () => spawnSync('zfs', ['list', '-H', '-o', 'name', '$P']));
const big = []; for (let i = 0; i < 2e6; i++) big.push({ i });
time('node spawnSync /bin/true with a 200 MB heap', 10, () => spawnSync('/bin/true'));
time('fs write+stat+unlink small file on the pool', 50, (i) => { const p = '$MNT/t/f' + i; fs.writeFileSync(p, 'x'); fs.lstatSync(p); fs.unlinkSync(p); });
"
s=$(date +%s%N); node -e 0; e=$(date +%s%N); echo "$(( (e - s) / 1000000 )) ms: node -e 0"
zfs get -H -o value mountpoint "$P"
