#!/usr/bin/env bash
# Guest job: records real `zfs` argv/stdout/stderr/exit codes for every scenario into
# packages/zfs-driver/test/fixtures/live/*.json and compares the texts of docs/ZFS-STRINGS.md.
# Run from the host: packages/zfs-driver/vm/run.sh packages/zfs-driver/vm/jobs/record-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")/../../../.."
: "${STRATUM_ZFS_POOL:?STRATUM_ZFS_POOL must be set (run this through vm/run.sh)}"
echo "$(zfs version | head -n1), kernel $(uname -r), pool $STRATUM_ZFS_POOL"
exec node packages/zfs-driver/vm/jobs/record/main.mjs packages/zfs-driver/test/fixtures/live \
  "${STRATUM_VM_RESULTS:-/tmp}/doc-check.json"
