#!/usr/bin/env bash
# Guest job: why layer packaging misses root-level changes on real ZFS. Prints the inode
# numbers of snapshot roots (through .zfs/snapshot/<s>/.) and of the live roots, and the zfs
# diff of a clone's snapshot against its origin; then (unless STRATUM_PACKAGE_TESTS=0) runs the
# conformance group 'layer packaging'.
set -uo pipefail
cd "$(dirname "$0")/../../../.."
P="$STRATUM_ZFS_POOL"
zfs create "$P/pd" && mnt=$(zfs get -H -o value mountpoint "$P/pd")
mkdir "$mnt/gone" "$mnt/a"; echo x > "$mnt/gone/f"; echo y > "$mnt/a/keep"; echo z > "$mnt/f"
zfs snapshot "$P/pd@s"
zfs clone "$P/pd@s" "$P/pd-l"
lm=$(zfs get -H -o value mountpoint "$P/pd-l")
rm -rf "$lm/gone"; echo n > "$lm/new"; ln "$lm/f" "$lm/g"
zfs snapshot "$P/pd-l@s"
zfs snapshot "$P/pd@t"
for d in "$mnt" "$lm" "$mnt/.zfs/snapshot/s" "$mnt/.zfs/snapshot/s/." "$mnt/.zfs/snapshot/t/." "$lm/.zfs/snapshot/s/." "$mnt/.zfs/snapshot/s/a" "$lm/.zfs/snapshot/s/a"; do
  echo "stat $d: $(stat -c 'ino=%i dev=%d type=%F nlink=%h' "$d")"
done
node -e "
const fs=require('fs');
for (const d of process.argv.slice(1)) { const fd=fs.openSync(d+'/.', 0o10000000|fs.constants.O_DIRECTORY); console.log('node O_PATH', d, 'ino', fs.lstatSync('/proc/'+process.pid+'/fd/'+fd+'/.').ino) }
" "$mnt/.zfs/snapshot/s" "$lm/.zfs/snapshot/s" "$mnt/.zfs/snapshot/t"
zfs list -H -o name,objsetid -t all -r "$P"
zfs diff -H -F "$P/pd@s" "$P/pd-l@s"; echo "diff exit $?"
if [ "${STRATUM_PACKAGE_TESTS:-1}" = 1 ]; then
  # the property sizes of jobs/conformance.sh (the round-trip property hits vitest's 120 s otherwise)
  export STRATUM_CONFORMANCE_RUNS=${STRATUM_CONFORMANCE_RUNS:-5} STRATUM_CONFORMANCE_MAX_COMMANDS=${STRATUM_CONFORMANCE_MAX_COMMANDS:-12}
  npx vitest run packages/zfs-driver/test/conformance/layers.test.ts -t 'layer packaging'
fi
