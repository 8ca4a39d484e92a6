#!/bin/bash
# Runs inside the guest (called by /sbin/stratum-init with the share mounted):
# starts udev, loads zfs, creates the test pool on /dev/vdb with the settings of
# ZFS-SEMANTICS.md (plus a small file-backed pool named by STRATUM_ZFS_OTHER_POOL),
# runs the job with STRATUM_ZFS_POOL set, and writes the job's output and
# exit code to <repo>/packages/zfs-driver/vm/results/<run>/{output.log,exit-code}.
# Setup failures go to results/<run>/setup-error. Usage: session.sh <repo> <job> <run>
set -u
REPO=$1 JOB=$2 RUN=$3
POOL=testpool
RES=$REPO/packages/zfs-driver/vm/results/$RUN
mkdir -p "$RES"
mark() { echo "STRATUM-MARK $(cut -d' ' -f1 /proc/uptime)s $*"; }
fail() { mark "FATAL: $*"; echo "$*" > "$RES/setup-error"; exit 1; }

# udev marks block devices initialized; zpool create waits for that after partitioning.
/lib/systemd/systemd-udevd --daemon || fail "systemd-udevd did not start"
udevadm trigger --action=add >/dev/null 2>&1
udevadm settle -t 60 || mark "warning: udevadm settle timed out"

modprobe zfs zfs_arc_max=$((256 * 1024 * 1024)) || fail "modprobe zfs failed"
mark "zfs loaded (module $(cat /sys/module/zfs/version), $(zfs version 2>/dev/null | head -n1))"

[ -b /dev/vdb ] || fail "pool disk /dev/vdb missing"
zpool create -f -O atime=off -O casesensitivity=sensitive -O normalization=none -O utf8only=off \
  -O xattr=sa -O acltype=posixacl -m /stratum-test "$POOL" /dev/vdb > "$RES/zpool-create.log" 2>&1 \
  || fail "zpool create failed: $(cat "$RES/zpool-create.log")"
mark "pool created: $POOL at /stratum-test"
# A second pool (file vdev on the root disk's snapshot overlay) for cross-pool checks.
OTHER=otherpool
if truncate -s 512M /var/tmp/otherpool.img && zpool create -f -m none "$OTHER" /var/tmp/otherpool.img \
    >> "$RES/zpool-create.log" 2>&1; then
  export STRATUM_ZFS_OTHER_POOL=$OTHER
  mark "second pool created: $OTHER"
else
  mark "warning: second pool not created (cross-pool checks will not run)"
fi

# The repository again (tag hostc), through the guest's page cache (cache=loose), stacked on the
# uncached share: uncached, every module load was a round trip through qemu's one I/O thread (6
# test files: 222 s -> 85 s). results/ stays on the uncached share, so the host sees each line.
RESULTS=$REPO/packages/zfs-driver/vm/results
mkdir -p /run/results-uncached && mount --bind "$RESULTS" /run/results-uncached || fail "cannot bind $RESULTS"
if mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,cache=loose hostc "$REPO"; then
  mount --bind /run/results-uncached "$RESULTS" || fail "cannot bind results/ over the cached share"
  mark "share cached (9p cache=loose; results/ uncached)"
else
  umount /run/results-uncached
  mark "warning: no cached share (tag hostc): the repository is read uncached"
fi
cd "$REPO" || fail "cannot cd $REPO"
export HOME=/root LANG=C.UTF-8 STRATUM_ZFS_POOL=$POOL STRATUM_VM_RESULTS=$RES STRATUM_IN_VM=1
export npm_config_update_notifier=false npm_config_offline=true
# Knobs forwarded by run.sh from the host environment.
[ -f "$RES/env" ] && . "$RES/env"
# Health every 60 s into results/<run>/health.log (memory, pool, load), so a stalled run
# says whether the pool was full, suspended or the guest short of memory; a task blocked in
# the kernel also dumps every blocked task's stack to the console once.
health() {
  local dumped=0
  while sleep 60; do
    {
      echo "--- $(cut -d' ' -f1 /proc/uptime)s load $(cut -d' ' -f1-3 /proc/loadavg)"
      free -m | sed -n 2p
      timeout 20 zpool list -H -o name,size,alloc,free,cap,health "$POOL" || echo "zpool list: rc $?"
      timeout 20 zpool status -x "$POOL" | head -n 3
      tail -n 1 "/proc/spl/kstat/zfs/$POOL/txgs" 2>/dev/null
      ps -eo pid,etimes,pcpu,rss,args --sort=-pcpu | head -n 4 | cut -c1-160
    } >> "$RES/health.log" 2>&1
    if [ "$dumped" = 0 ] && dmesg | grep -q 'blocked for more than'; then
      dumped=1
      mark "a task is blocked in the kernel: blocked stacks follow on the console"
      echo w > /proc/sysrq-trigger
      { timeout 20 zpool status -v "$POOL"; timeout 20 zpool events "$POOL" | tail -n 20
        dmesg | grep -iE 'zfs|zio|vdb|blk|error' | tail -n 30; } >> "$RES/health.log" 2>&1
    fi
  done
}
health &
mark "job started: $JOB"
bash "$REPO/$JOB" > "$RES/output.log" 2>&1 < /dev/null
rc=$?
kill %1 2>/dev/null
echo "$rc" > "$RES/exit-code"
sync
mark "job ended: rc $rc"
exit 0
