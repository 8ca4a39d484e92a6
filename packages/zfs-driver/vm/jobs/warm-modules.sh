#!/usr/bin/env bash
# Run on the host before a guest job (.ci/run does): loads every module of ci.sh's lanes into
# vitest's module cache (node_modules/.experimental-vitest-cache, read by the guest through the
# share at the same path), so the emulated lanes skip their transforms. A pool name is set so the
# pool's test files import what they import in the guest; the name filter matches no test, so
# nothing runs and no pool is touched. Seconds here; without it ci.sh still works, only slower.
set -euo pipefail
cd "$(dirname "$0")/../../../.."
source packages/zfs-driver/vm/jobs/lanes.sh
t0=$SECONDS
STRATUM_ZFS_POOL=stratum-warm-no-pool NO_COLOR=1 npx vitest run "${LANE_A[@]}" "${LANE_B[@]}" \
  --maxWorkers=1 --no-isolate --experimental.fsModuleCache --testNamePattern='^$' --reporter=dot
echo "== vitest module cache for the guest lanes: $((SECONDS - t0)) s =="
