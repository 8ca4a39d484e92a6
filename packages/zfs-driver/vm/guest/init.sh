#!/bin/bash
# PID 1 of the Stratum ZFS guest (baked into the image as /sbin/stratum-init).
# Mounts the kernel file systems, mounts the host repository (9p, tag "host") at the same
# absolute path as on the host, runs the repository's guest/session.sh (zfs, pool, job,
# results), then powers off. Kernel command line: stratum_repo=<abs path> stratum_job=<path
# relative to the repo> stratum_run=<run id>. Progress lines start with "STRATUM-MARK".
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
mark() { echo "STRATUM-MARK $(cut -d' ' -f1 /proc/uptime 2>/dev/null)s $*"; }
halt_now() {
  sync
  echo o > /proc/sysrq-trigger
  sleep 30
}

mountpoint -q /proc || mount -t proc proc /proc
mountpoint -q /sys || mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev
mkdir -p /dev/pts /dev/shm
mountpoint -q /dev/pts || mount -t devpts devpts /dev/pts
mountpoint -q /dev/shm || mount -t tmpfs tmpfs /dev/shm
mountpoint -q /run || mount -t tmpfs tmpfs /run
mountpoint -q /tmp || mount -t tmpfs tmpfs /tmp
echo 1 > /proc/sys/kernel/sysrq
hostname stratum-zfs
mark "booted: init reached (kernel $(uname -r))"

REPO="" JOB="" RUN=""
for w in $(cat /proc/cmdline); do
  case $w in
    stratum_repo=*) REPO=${w#stratum_repo=} ;;
    stratum_job=*) JOB=${w#stratum_job=} ;;
    stratum_run=*) RUN=${w#stratum_run=} ;;
  esac
done
if [ -z "$REPO" ] || [ -z "$JOB" ] || [ -z "$RUN" ]; then
  mark "FATAL: stratum_repo/stratum_job/stratum_run missing from the kernel command line"
  halt_now
fi

modprobe 9pnet_virtio && modprobe 9p || { mark "FATAL: cannot load 9p modules"; halt_now; }
mkdir -p "$REPO"
if ! mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 host "$REPO"; then
  mark "FATAL: cannot mount the 9p share 'host' at $REPO"
  halt_now
fi
mark "share mounted at $REPO"

SESSION=$REPO/packages/zfs-driver/vm/guest/session.sh
if [ -f "$SESSION" ]; then
  bash "$SESSION" "$REPO" "$JOB" "$RUN"
  mark "session ended (rc $?)"
else
  mark "FATAL: $SESSION not found in the share"
fi
halt_now
