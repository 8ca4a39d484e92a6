#!/usr/bin/env bash
# Guest job run by hand: ci.sh's lanes and files at larger sizes (two runs per property, twice
# the differential sequences), for a change to the store, the driver or the suite that the
# smallest sizes may not reach. Each variable set on the host still wins (run.sh forwards them):
#   STRATUM_VM_TIMEOUT=3600 bash packages/zfs-driver/vm/run.sh packages/zfs-driver/vm/jobs/ci-large.sh
set -euo pipefail
export STRATUM_CONFORMANCE_RUNS=${STRATUM_CONFORMANCE_RUNS:-2}
export STRATUM_DIFF_RUNS=${STRATUM_DIFF_RUNS:-8}
export STRATUM_DIFF_HOSTFS_RUNS=${STRATUM_DIFF_HOSTFS_RUNS:-40}
exec bash "$(dirname "$0")/ci.sh"
