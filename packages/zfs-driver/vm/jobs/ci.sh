#!/usr/bin/env bash
# Guest job run by .ci/run: the zfs-driver's own tests and the conformance suite's algebra part
# (every named lifecycle check, the error-tag coverage, the model-based properties) against the
# real pool. Deterministic: a fixed property seed, so what passed here passes in CI.
# The layer-algorithm part is not run here yet (slow under emulation; see vm/README.md).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
: "${STRATUM_ZFS_POOL:?STRATUM_ZFS_POOL must be set (run this through vm/run.sh)}"
echo "node $(node --version), $(zfs version | head -n1), pool $STRATUM_ZFS_POOL, second pool ${STRATUM_ZFS_OTHER_POOL:-none}"
[ -x node_modules/.bin/vitest ] || { echo "node_modules missing: run pnpm install on the host first" >&2; exit 1; }
export STRATUM_CONFORMANCE_GROUPS=algebra
export STRATUM_CONFORMANCE_RUNS=${STRATUM_CONFORMANCE_RUNS:-10}
export STRATUM_CONFORMANCE_MAX_COMMANDS=${STRATUM_CONFORMANCE_MAX_COMMANDS:-15}
export STRATUM_CONFORMANCE_SEED=${STRATUM_CONFORMANCE_SEED:-20261125}
export NO_COLOR=1
# verbose reporter only: the guest prints no closing `N passed, N failed` line of its own
exec npx vitest run packages/zfs-driver --exclude '**/differential.test.ts' --reporter=verbose
