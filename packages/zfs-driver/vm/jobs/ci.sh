#!/usr/bin/env bash
# Guest job run by .ci/run, against the real pool: the zfs-driver's own tests, the whole
# conformance suite (algebra and layer algorithms: stores, packaging, hostile vectors, crash
# points, concurrency), SIGKILLed store processes, a differential run against the simulator,
# and the `stratum` CLI's command flow with --driver zfs. Deterministic: fixed seeds, so what
# passed here passes in CI. Sizes are lowered for full emulation (each zfs command ~150-300 ms);
# every knob can be raised from the host (run.sh forwards STRATUM_{CONFORMANCE,CRASH,
# CONCURRENCY,DIFF,KILL}_*).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
: "${STRATUM_ZFS_POOL:?STRATUM_ZFS_POOL must be set (run this through vm/run.sh)}"
echo "node $(node --version), $(zfs version | head -n1), pool $STRATUM_ZFS_POOL, second pool ${STRATUM_ZFS_OTHER_POOL:-none}"
[ -x node_modules/.bin/vitest ] || { echo "node_modules missing: run pnpm install on the host first" >&2; exit 1; }
[ -f packages/cli/dist/bin.js ] || { echo "packages/cli/dist/bin.js missing: run npx tsc -b on the host first" >&2; exit 1; }
# temp files on the pool, not the guest's tmpfs: the host-tree tests (xattrs included) then run on ZFS
TMPDIR="$(zfs get -H -o value mountpoint "$STRATUM_ZFS_POOL")/host-tmp"
mkdir -p "$TMPDIR" && export TMPDIR
export STRATUM_CONFORMANCE_RUNS=${STRATUM_CONFORMANCE_RUNS:-4}
export STRATUM_CONFORMANCE_MAX_COMMANDS=${STRATUM_CONFORMANCE_MAX_COMMANDS:-15}
export STRATUM_CONFORMANCE_SEED=${STRATUM_CONFORMANCE_SEED:-20261125}
export STRATUM_CRASH_POINTS=${STRATUM_CRASH_POINTS:-changes}
export STRATUM_CRASH_SAMPLE=${STRATUM_CRASH_SAMPLE:-1}
export STRATUM_CONCURRENCY_RUNS=${STRATUM_CONCURRENCY_RUNS:-2}
export STRATUM_DIFF_RUNS=${STRATUM_DIFF_RUNS:-8}
export STRATUM_DIFF_MAX_COMMANDS=${STRATUM_DIFF_MAX_COMMANDS:-12}
export STRATUM_DIFF_HOSTFS_RUNS=${STRATUM_DIFF_HOSTFS_RUNS:-40}
export STRATUM_DIFF_SEED=${STRATUM_DIFF_SEED:-20261125}
export STRATUM_KILL_RUNS=${STRATUM_KILL_RUNS:-1}
export STRATUM_KILL_EXTRACTORS=${STRATUM_KILL_EXTRACTORS:-2}
export STRATUM_TAR_FUZZ_RUNS=${STRATUM_TAR_FUZZ_RUNS:-12}
env | grep -E '^STRATUM_(CONFORMANCE|CRASH|CONCURRENCY|DIFF|KILL|TAR_FUZZ)_' | sort
export NO_COLOR=1
# A crash-point test runs its operation tens of times on fresh fixtures: minutes under emulation.
# Verbose reporter (the guest prints no closing `N passed, N failed` line of its own) and a JSON
# report summarised into seconds per file, per group and the slowest tests.
report="$TMPDIR/vitest-report.json"
set +e
# one test file per guest CPU at a time (each file works under its own base dataset)
workers=$(nproc)
echo "vitest workers: $workers"
npx vitest run packages/zfs-driver packages/cli/test/zfs.test.ts --maxWorkers="$workers" \
  --testTimeout=900000 --hookTimeout=900000 --reporter=verbose --reporter=json --outputFile.json="$report"
rc=$?
set -e
# where the time went, for the next session's budget
[ -f "$report" ] && node packages/zfs-driver/vm/jobs/durations.mjs "$report"
exit $rc
