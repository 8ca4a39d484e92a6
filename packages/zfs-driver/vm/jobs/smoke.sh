#!/usr/bin/env bash
# Guest job: the quickest check that the guest works (zfs, the pool, node, the share).
set -euo pipefail
cd "$(dirname "$0")/../../../.."
zfs version
zpool status "$STRATUM_ZFS_POOL"
zfs get -H -p -o property,value atime,casesensitivity,normalization,utf8only,xattr,acltype,mountpoint "$STRATUM_ZFS_POOL"
zfs create "$STRATUM_ZFS_POOL/smoke" && zfs snapshot "$STRATUM_ZFS_POOL/smoke@s"
zfs list -H -p -o name,type,origin -t all -r "$STRATUM_ZFS_POOL"
echo "node $(node --version); npx $(npx --version); repo $(pwd)"
readlink -f node_modules/.bin/vitest
# pnpm's relative symlinks must resolve through the share (package-level dependency).
(cd packages/zfs-driver && node --input-type=module -e "await import('fp-ts/lib/function.js'); console.log('pnpm symlinks resolve in the guest')")
