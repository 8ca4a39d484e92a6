#!/usr/bin/env bash
# Guest job run by .ci/run, against the real pool: the whole conformance suite (algebra, layer
# algorithms: stores, packaging, hostile vectors; crash points and concurrency, sampled), the
# host-tree tests on a ZFS file system, SIGKILLed store processes, a differential run against
# the simulator, the `stratum` CLI's command flow with --driver zfs, and a busybox process in a
# chrooted container root under a refquota (cli/test/chroot.test.ts). Deterministic: fixed
# seeds, so what passed here passes in CI. Sizes are lowered for full emulation (each zfs
# command ~150-300 ms, JavaScript ~30x slower than on the host): one run per property, the fewest
# crash points and runs that still reach every scenario; every knob can be raised from the host
# (run.sh forwards STRATUM_{CONFORMANCE,CRASH,CONCURRENCY,DIFF,KILL,TAR_FUZZ}_*): the larger runs
# are jobs run by hand (ci-large.sh: these lanes at larger sizes; conformance.sh, differential.sh).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
job_t0=$SECONDS
: "${STRATUM_ZFS_POOL:?STRATUM_ZFS_POOL must be set (run this through vm/run.sh)}"
echo "node $(node --version), $(zfs version | head -n1), pool $STRATUM_ZFS_POOL, second pool ${STRATUM_ZFS_OTHER_POOL:-none}"
[ -x node_modules/.bin/vitest ] || { echo "node_modules missing: run pnpm install on the host first" >&2; exit 1; }
[ -f packages/cli/dist/stratum.js ] || { echo "packages/cli/dist/stratum.js missing: run npx -y pnpm@10.34.8 build on the host first" >&2; exit 1; }
# temp files on the pool, not the guest's tmpfs: the host-tree tests (xattrs included) then run on ZFS
TMPDIR="$(zfs get -H -o value mountpoint "$STRATUM_ZFS_POOL")/host-tmp"
mkdir -p "$TMPDIR" && export TMPDIR
export STRATUM_CONFORMANCE_RUNS=${STRATUM_CONFORMANCE_RUNS:-1}
export STRATUM_CONFORMANCE_MAX_COMMANDS=${STRATUM_CONFORMANCE_MAX_COMMANDS:-15}
export STRATUM_CONFORMANCE_SEED=${STRATUM_CONFORMANCE_SEED:-20261125}
export STRATUM_CRASH_POINTS=${STRATUM_CRASH_POINTS:-changes}
export STRATUM_CRASH_SAMPLE=${STRATUM_CRASH_SAMPLE:-0.5}
export STRATUM_CONCURRENCY_RUNS=${STRATUM_CONCURRENCY_RUNS:-1}
export STRATUM_DIFF_RUNS=${STRATUM_DIFF_RUNS:-4}
export STRATUM_DIFF_MAX_COMMANDS=${STRATUM_DIFF_MAX_COMMANDS:-12}
export STRATUM_DIFF_HOSTFS_RUNS=${STRATUM_DIFF_HOSTFS_RUNS:-20}
export STRATUM_DIFF_SEED=${STRATUM_DIFF_SEED:-20261125}
export STRATUM_KILL_RUNS=${STRATUM_KILL_RUNS:-1}
export STRATUM_KILL_EXTRACTORS=${STRATUM_KILL_EXTRACTORS:-2}
export STRATUM_TAR_FUZZ_RUNS=${STRATUM_TAR_FUZZ_RUNS:-12}
env | grep -E '^STRATUM_(CONFORMANCE|CRASH|CONCURRENCY|DIFF|KILL|TAR_FUZZ)_' | sort
export NO_COLOR=1
# The lanes' test files (lanes.sh); their modules come from vitest's module cache when the host
# wrote it (warm-modules.sh, which .ci/run runs first), else each lane transforms them itself.
source packages/zfs-driver/vm/jobs/lanes.sh
echo "vitest module cache: $(find node_modules/.experimental-vitest-cache -type f 2>/dev/null | wc -l) files (warm-modules.sh on the host fills it)"
# A lane: its files (vitest orders them), a verbose line per test (prefixed with the lane), the closing
# `vitest: N passed` line, and a JSON report summarised into seconds per file, group and test.
lane() {
  local name=$1 t0=$SECONDS rc
  shift
  npx vitest run "$@" --maxWorkers=1 --no-isolate --experimental.fsModuleCache \
    --testTimeout=900000 --hookTimeout=900000 --reporter=verbose --reporter=./.ci/summary-reporter.ts \
    --reporter=json --outputFile.json="$TMPDIR/report-$name.json" 2>&1 | sed -u "s/^/[$name] /"
  rc=${PIPESTATUS[0]}
  [ -f "$TMPDIR/report-$name.json" ] && node packages/zfs-driver/vm/jobs/durations.mjs "$TMPDIR/report-$name.json" | sed "s/^/[$name] /"
  echo "== guest lane $name took $((SECONDS - t0)) s (rc $rc) =="
  return "$rc"
}
set +e
if [ "$(nproc)" -ge 2 ]; then
  lane a "${LANE_A[@]}" & pa=$!
  lane b "${LANE_B[@]}" & pb=$!
  wait "$pa"; ra=$?
  wait "$pb"; rb=$?
else
  lane a "${LANE_A[@]}"; ra=$?
  lane b "${LANE_B[@]}"; rb=$?
fi
set -e
echo "guest lanes: a rc $ra, b rc $rb"
echo "== guest job ci.sh took $((SECONDS - job_t0)) s (lanes included) =="
[ "$ra" = 0 ] && [ "$rb" = 0 ]
