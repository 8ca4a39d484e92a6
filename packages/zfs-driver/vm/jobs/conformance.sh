#!/usr/bin/env bash
# Guest job: the zfs-driver tests against the real pool (STRATUM_ZFS_POOL, set by the guest's
# session.sh), with the host's Node (copied into the image) and the repository's node_modules
# through the 9p share. Run from the host: packages/zfs-driver/vm/run.sh packages/zfs-driver/vm/jobs/conformance.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
: "${STRATUM_ZFS_POOL:?STRATUM_ZFS_POOL must be set (run this through vm/run.sh)}"
echo "node $(node --version), $(zfs version | head -n1), pool $STRATUM_ZFS_POOL"
zpool list -H -o name,size,health "$STRATUM_ZFS_POOL"
[ -x node_modules/.bin/vitest ] || { echo "node_modules missing: run pnpm install on the host first" >&2; exit 1; }
echo "second pool: ${STRATUM_ZFS_OTHER_POOL:-none}"
# Full emulation runs real zfs commands slowly: modest property-test sizes unless the host set them.
export STRATUM_CONFORMANCE_RUNS=${STRATUM_CONFORMANCE_RUNS:-5}
export STRATUM_CONFORMANCE_MAX_COMMANDS=${STRATUM_CONFORMANCE_MAX_COMMANDS:-12}
export STRATUM_CONCURRENCY_RUNS=${STRATUM_CONCURRENCY_RUNS:-3}
export STRATUM_CRASH_POINTS=${STRATUM_CRASH_POINTS:-changes}
export STRATUM_CRASH_STRIDE=${STRATUM_CRASH_STRIDE:-3}
env | grep -E '^STRATUM_(CONFORMANCE|CONCURRENCY|CRASH)_' | sort
# Verbose: one line per finished test, so a slow run shows where it is.
export NO_COLOR=1
# A crash-point test runs its operation tens of times on fresh fixtures: minutes under emulation.
exec npx vitest run packages/zfs-driver --testTimeout=900000 --hookTimeout=900000 --reporter=verbose --reporter=./.ci/summary-reporter.ts
