#!/usr/bin/env bash
# Guest job run by hand: only the busybox chroot test (packages/cli/test/chroot.test.ts). Run
# .ci/busybox-layout.sh and `npx -y pnpm@10.34.8 build` on the host first.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
: "${STRATUM_ZFS_POOL:?STRATUM_ZFS_POOL must be set (run this through vm/run.sh)}"
echo "node $(node --version), $(zfs version | head -n1), pool $STRATUM_ZFS_POOL"
zfs get -H -o property,value compression,recordsize "$STRATUM_ZFS_POOL"
TMPDIR="$(zfs get -H -o value mountpoint "$STRATUM_ZFS_POOL")/host-tmp"
mkdir -p "$TMPDIR" && export TMPDIR
export NO_COLOR=1
t0=$SECONDS
npx vitest run packages/cli/test/chroot.test.ts --maxWorkers=1 --testTimeout=900000 --reporter=verbose
echo "== guest chroot job took $((SECONDS - t0)) s =="
