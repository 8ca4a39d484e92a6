#!/usr/bin/env bash
# Boots the cached OpenZFS guest (building it first if needed) and runs one job script of
# this repository inside it, with a fresh 2 GiB pool "testpool" and STRATUM_ZFS_POOL set.
#
#   packages/zfs-driver/vm/run.sh <job-script-in-repo>     e.g. packages/zfs-driver/vm/jobs/conformance.sh
#
# Env: STRATUM_VM_TIMEOUT (s, default 600), STRATUM_VM_MEM (MiB, default 3072),
#      STRATUM_VM_SMP (guest CPUs, default 2: ci.sh runs two lanes of test files side by side),
#      STRATUM_VM_ACCEL (auto|kvm|tcg, default auto),
#      STRATUM_VM_CACHE (see build.sh). STRATUM_CONFORMANCE_*, STRATUM_CRASH_*,
#      STRATUM_CONCURRENCY_*, STRATUM_DIFF_*, STRATUM_KILL_*, STRATUM_TAR_FUZZ_* and VITEST_* are passed into the guest's job.
# Prints progress markers from the console, streams the job's output, and exits with the
# job's exit code (124 on timeout, 125 when the guest gave no result). The console log and
# the job's output stay in packages/zfs-driver/vm/results/<run>/ (gitignored).
set -euo pipefail
START=$(date +%s)
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
TIMEOUT=${STRATUM_VM_TIMEOUT:-600}
MEM=${STRATUM_VM_MEM:-3072}
SMP=${STRATUM_VM_SMP:-2}

log() { printf '[vm %4ss] %s\n' "$(( $(date +%s) - START ))" "$*"; }
die() { log "ERROR: $*" >&2; exit 125; }

[ $# -eq 1 ] || die "usage: run.sh <job-script-in-repo>"
case $REPO in *[[:space:]]*) die "repository path must not contain white space: $REPO" ;; esac
job_abs=$(cd "$(dirname "$1")" 2>/dev/null && pwd)/$(basename "$1") || die "no such job: $1"
[ -f "$job_abs" ] || die "no such job: $1"
case $job_abs in "$REPO"/*) JOB=${job_abs#"$REPO"/} ;; *) die "job must be inside $REPO: $1" ;; esac

IMG=$(bash "$HERE/build.sh" | sed -n 's/^image: //p')
[ -n "$IMG" ] && [ -f "$IMG/complete" ] || die "build.sh produced no image"

RUN=$(date +%Y%m%d-%H%M%S)-$$
RES=$HERE/results/$RUN
mkdir -p "$RES"
CONSOLE=$RES/console.log
# Test knobs pass into the guest (whose environment is otherwise fresh): session.sh sources this.
env | grep -E '^(STRATUM_(CONFORMANCE|CRASH|CONCURRENCY|DIFF|KILL|TAR_FUZZ)_[A-Z_]*|VITEST_[A-Z_]*)=' \
  | while IFS='=' read -r k v; do printf 'export %s=%q\n' "$k" "$v"; done > "$RES/env" || true
POOL_IMG=$(mktemp /var/tmp/stratum-pool.XXXXXX)
truncate -s 2G "$POOL_IMG"

# KVM only when /dev/kvm runs ordinary kernels. A host whose KVM is kvm_pvm alone (nested
# "PVM", no VMX/SVM) runs only PVM-built guest kernels: Debian's kernel hangs right after
# "Probing EDD" there (seen on these machines), so that counts as no KVM.
kvm_usable() {
  [ -c /dev/kvm ] && [ -r /dev/kvm ] && [ -w /dev/kvm ] || return 1
  if [ -d /sys/module/kvm_pvm ] && [ ! -d /sys/module/kvm_intel ] && [ ! -d /sys/module/kvm_amd ]; then
    return 1
  fi
}
case ${STRATUM_VM_ACCEL:-auto} in
  kvm) use_kvm=1 ;;
  tcg) use_kvm=0 ;;
  auto) if kvm_usable; then use_kvm=1; else use_kvm=0; fi ;;
  *) die "STRATUM_VM_ACCEL must be auto, kvm or tcg" ;;
esac
if [ "$use_kvm" = 1 ]; then
  ACCEL=(-enable-kvm -cpu host) accel_name=kvm
else
  ACCEL=(-accel tcg -cpu max) accel_name="tcg (no usable KVM; full emulation, slow)"
fi

QPID=""
cleanup() {
  if [ -n "$QPID" ] && kill -0 "$QPID" 2>/dev/null; then kill -- "-$QPID" 2>/dev/null || true; fi
  rm -f "$POOL_IMG"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT TERM

log "booting guest ($accel_name, -smp $SMP, -m $MEM, timeout ${TIMEOUT}s): job $JOB, run $RUN"
# setsid: qemu, timeout and nice get their own process group, so cleanup can end exactly them.
setsid nice -n 19 timeout -k 15 "$TIMEOUT" qemu-system-x86_64 \
  "${ACCEL[@]}" -smp "$SMP" -m "$MEM" -nographic -no-reboot -nic none \
  -kernel "$IMG/vmlinuz" -initrd "$IMG/initrd.img" \
  -append "console=ttyS0 root=/dev/vda rw init=/sbin/stratum-init panic=1 stratum_repo=$REPO stratum_job=$JOB stratum_run=$RUN" \
  -drive "file=$IMG/rootfs.img,format=raw,if=virtio,snapshot=on" \
  -drive "file=$POOL_IMG,format=raw,if=virtio" \
  -virtfs "local,path=$REPO,mount_tag=host,security_model=passthrough,id=host" \
  -virtfs "local,path=$REPO,mount_tag=hostc,security_model=passthrough,id=hostc" \
  < /dev/null > "$CONSOLE" 2>&1 &
QPID=$!

marks=0 out_off=0
flush() {
  local n
  n=$(grep -c 'STRATUM-MARK' "$CONSOLE" 2>/dev/null || true)
  if [ "${n:-0}" -gt "$marks" ]; then
    grep 'STRATUM-MARK' "$CONSOLE" | tail -n +"$((marks + 1))" | head -n "$((n - marks))" \
      | tr -d '\r' | while IFS= read -r l; do log "guest: ${l#*STRATUM-MARK }"; done
    marks=$n
  fi
  if [ -f "$RES/output.log" ]; then
    local size
    size=$(stat -c %s "$RES/output.log")
    if [ "$size" -gt "$out_off" ]; then
      tail -c +"$((out_off + 1))" "$RES/output.log" | head -c "$((size - out_off))"
      out_off=$size
    fi
  fi
}
while kill -0 "$QPID" 2>/dev/null; do
  flush
  sleep 2
done
set +e
wait "$QPID"
qrc=$?
set -e
flush

if [ "$qrc" -eq 124 ] || [ "$qrc" -eq 137 ]; then
  log "TIMEOUT: guest still running after ${TIMEOUT}s (qemu killed). Last console lines ($CONSOLE):"
  tail -n 40 "$CONSOLE" | tr -d '\r'
  [ -f "$RES/health.log" ] && { log "guest health, last samples ($RES/health.log):"; tail -n 35 "$RES/health.log"; }
  exit 124
fi
if [ -f "$RES/exit-code" ]; then
  rc=$(cat "$RES/exit-code")
  log "job $JOB exited with $rc (guest and qemu done, qemu rc $qrc); logs in $RES"
  exit "$rc"
fi
log "guest ended without a job result (qemu rc $qrc). Last console lines ($CONSOLE):"
[ -f "$RES/setup-error" ] && log "setup error: $(cat "$RES/setup-error")"
tail -n 40 "$CONSOLE" | tr -d '\r'
exit 125
