#!/usr/bin/env bash
# Builds the guest's root directory: Debian bookworm minbase + kernel + dkms-built OpenZFS
# from bookworm-backports (contrib). Usage: base.sh <root-dir> <mirror-url>
# The expensive part of the guest (~13 min on 2 busy cores); build.sh caches its result keyed
# on this file's hash. Fails loudly: every step is checked.
set -euo pipefail

ROOT=${1:?usage: base.sh <root-dir> <mirror-url>}
MIRROR=${2:?usage: base.sh <root-dir> <mirror-url>}

say() { printf '[base %s] %s\n' "$(date +%H:%M:%S)" "$*"; }
die() { printf '[base] ERROR: %s\n' "$*" >&2; exit 1; }

unmount_all() {
  local m
  for m in dev/pts dev sys proc; do
    if mountpoint -q "$ROOT/$m" 2>/dev/null; then umount -l "$ROOT/$m" || true; fi
  done
}
trap unmount_all EXIT

say "debootstrap bookworm (minbase) from $MIRROR into $ROOT"
debootstrap --variant=minbase \
  --include=systemd-sysv,udev,kmod,procps,iproute2,ca-certificates \
  bookworm "$ROOT" "$MIRROR" || die "debootstrap failed"

say "apt sources: bookworm bookworm-updates bookworm-backports, main contrib"
rm -f "$ROOT/etc/apt/sources.list"
cat > "$ROOT/etc/apt/sources.list.d/debian.sources" <<EOF
Types: deb
URIs: $MIRROR
Suites: bookworm bookworm-updates bookworm-backports
Components: main contrib
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
# The mirror may serve a dated snapshot whose Release files have expired.
cat > "$ROOT/etc/apt/apt.conf.d/99stratum" <<'EOF'
Acquire::Check-Valid-Until "false";
Acquire::Check-Date "false";
APT::Install-Recommends "false";
EOF
# No service may start inside the chroot.
printf '#!/bin/sh\nexit 101\n' > "$ROOT/usr/sbin/policy-rc.d"
chmod 755 "$ROOT/usr/sbin/policy-rc.d"

mount -t proc proc "$ROOT/proc"
mount --rbind /sys "$ROOT/sys"; mount --make-rslave "$ROOT/sys"
mount --bind /dev "$ROOT/dev"
mount --bind /dev/pts "$ROOT/dev/pts"

in_root() { chroot "$ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
  DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8 HOME=/root "$@"; }

say "apt-get update (guest)"
in_root apt-get update || die "apt-get update in the guest root failed"

say "install kernel, headers, build-essential, dkms"
in_root apt-get install -y linux-image-amd64 linux-headers-amd64 build-essential dkms \
  || die "kernel/dkms install failed"

say "install zfs-dkms zfsutils-linux from bookworm-backports (dkms builds zfs.ko)"
in_root apt-get install -y -t bookworm-backports zfs-dkms zfsutils-linux \
  || die "zfs-dkms/zfsutils-linux install failed"

KVER=$(basename "$(ls -d "$ROOT"/lib/modules/*-amd64 | sort -V | tail -n1)")
[ -n "$KVER" ] || die "no guest kernel found under $ROOT/lib/modules"
if ! ls "$ROOT/lib/modules/$KVER"/updates/dkms/zfs.ko* >/dev/null 2>&1; then
  say "zfs.ko not built for $KVER by the postinst; running dkms autoinstall"
  in_root dkms autoinstall -k "$KVER" || die "dkms autoinstall -k $KVER failed"
fi
ls "$ROOT/lib/modules/$KVER"/updates/dkms/zfs.ko* >/dev/null 2>&1 \
  || die "zfs.ko missing for guest kernel $KVER after dkms"
in_root depmod -a "$KVER"
in_root update-initramfs -u -k "$KVER" || die "update-initramfs failed"

say "trim: apt lists and caches"
in_root apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/*
# The dkms build tree is not needed at run time.
rm -rf "$ROOT"/var/lib/dkms/zfs/*/build

unmount_all
trap - EXIT
echo "$KVER" > "$ROOT/.stratum-kernel"
say "base root complete (guest kernel $KVER)"
