#!/usr/bin/env bash
# Guest job: the differential check, simulator vs real OpenZFS (test/differential.test.ts), on
# the pool STRATUM_ZFS_POOL set by the guest's session.sh. Run from the host:
#   STRATUM_VM_TIMEOUT=2700 bash packages/zfs-driver/vm/run.sh packages/zfs-driver/vm/jobs/differential.sh
# Counts (STRATUM_DIFF_RUNS, STRATUM_DIFF_MAX_COMMANDS, STRATUM_DIFF_TIME_LIMIT_S) and the replay
# variables (STRATUM_DIFF_SEED, STRATUM_DIFF_PATH, STRATUM_DIFF_REPLAY_PATH) are forwarded by
# run.sh from the host's environment. Without STRATUM_DIFF_SEED each run draws a fresh seed and
# prints it, so every hand run explores new sequences and can be replayed. Measured under TCG: ~3.3 s per sequence of up to 8 calls
# (500 sequences: 1605 s).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
: "${STRATUM_ZFS_POOL:?STRATUM_ZFS_POOL must be set (run this through vm/run.sh)}"
echo "node $(node --version), $(zfs version | head -n1), pool $STRATUM_ZFS_POOL"
[ -x node_modules/.bin/vitest ] || { echo "node_modules missing: run pnpm install on the host first" >&2; exit 1; }
# leave time for vitest to start and the last sequence to finish inside the VM's timeout
export STRATUM_DIFF_TIME_LIMIT_S=${STRATUM_DIFF_TIME_LIMIT_S:-2100}
export STRATUM_DIFF_RUNS=${STRATUM_DIFF_RUNS:-500}
export STRATUM_DIFF_MAX_COMMANDS=${STRATUM_DIFF_MAX_COMMANDS:-12}
if [ -n "${STRATUM_DIFF_SEED:-}" ]; then seed_from="given"; else
  STRATUM_DIFF_SEED=$(( $(od -An -N4 -tu4 /dev/urandom) % 2147483647 )); seed_from="fresh"; fi
export STRATUM_DIFF_SEED
echo "differential: seed ${STRATUM_DIFF_SEED} (${seed_from}), runs ${STRATUM_DIFF_RUNS}, max commands ${STRATUM_DIFF_MAX_COMMANDS}, time limit ${STRATUM_DIFF_TIME_LIMIT_S}s"
export NO_COLOR=1
exec npx vitest run packages/zfs-driver/test/differential.test.ts --reporter=verbose
