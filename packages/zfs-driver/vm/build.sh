#!/usr/bin/env bash
# Builds (once) and caches the Debian bookworm + OpenZFS qemu guest used by run.sh.
#
# Cache (outside the repository): ${STRATUM_VM_CACHE:-/var/cache/stratum-vm}
#   base-<k1>/root/     debootstrapped root with kernel + dkms-built zfs.ko   k1 = hash(lib/base.sh, mirror)
#   img-<k2>/           rootfs.img vmlinuz initrd.img kernel-version           k2 = hash(build.sh, lib/base.sh,
#                                                                               guest/init.sh, node binary, mirror)
# With a warm cache it only checks the host tools and prints the image directory.
# Prints the image directory as its last line on stdout ("image: <dir>").
# Needs root (debootstrap, chroot, mounts). Fails with a non-zero status and a message.
set -euo pipefail
START=$(date +%s)
HERE=$(cd "$(dirname "$0")" && pwd)
CACHE=${STRATUM_VM_CACHE:-/var/cache/stratum-vm}

say() { printf '[build %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf '[build] ERROR: %s (after %ss)\n' "$*" "$(( $(date +%s) - START ))" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "must run as root (debootstrap, chroot, loop-free mkfs)"

# --- host tools --------------------------------------------------------------------------
need_pkgs=()
command -v qemu-system-x86_64 >/dev/null || need_pkgs+=(qemu-system-x86)
command -v qemu-img >/dev/null || need_pkgs+=(qemu-utils)
command -v debootstrap >/dev/null || need_pkgs+=(debootstrap)
command -v mkfs.ext4 >/dev/null || need_pkgs+=(e2fsprogs)
command -v timeout >/dev/null || need_pkgs+=(coreutils)
if [ ${#need_pkgs[@]} -gt 0 ]; then
  say "installing host packages: ${need_pkgs[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update >&2 || die "apt-get update failed"
  apt-get install -y --no-install-recommends "${need_pkgs[@]}" >&2 \
    || die "apt-get install ${need_pkgs[*]} failed"
fi

# --- mirror: the one the host uses ---------------------------------------------------------
mirror=""
if [ -f /etc/apt/sources.list.d/debian.sources ]; then
  mirror=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' \
    /etc/apt/sources.list.d/debian.sources)
fi
if [ -z "$mirror" ] && [ -f /etc/apt/sources.list ]; then
  mirror=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) { print $i; exit } }' \
    /etc/apt/sources.list)
fi
mirror=${mirror:-http://deb.debian.org/debian}
mirror=${mirror%/}

# --- keys ----------------------------------------------------------------------------------
NODE_BIN=$(readlink -f "$(command -v node)") || die "no node on the host PATH"
NPM_DIR=""
for d in /usr/lib/node_modules/npm /usr/local/lib/node_modules/npm; do
  [ -f "$d/bin/npm-cli.js" ] && { NPM_DIR=$d; break; }
done
node_sum=$(sha256sum "$NODE_BIN" | cut -c1-64)
k1=$( { cat "$HERE/lib/base.sh"; echo "$mirror"; } | sha256sum | cut -c1-16)
k2=$( { cat "$HERE/build.sh" "$HERE/lib/base.sh" "$HERE/guest/init.sh"; echo "$mirror $node_sum $NPM_DIR"; } \
  | sha256sum | cut -c1-16)
BASE=$CACHE/base-$k1
IMG=$CACHE/img-$k2

if [ -f "$IMG/complete" ]; then
  say "cache hit: $IMG ($(( $(date +%s) - START ))s)"
  echo "image: $IMG"
  exit 0
fi
mkdir -p "$CACHE"

# --- stage 1: base root (expensive) --------------------------------------------------------
if [ ! -f "$BASE/complete" ]; then
  say "building base root $BASE (mirror $mirror); takes ~13 min"
  rm -rf "$BASE.tmp"
  mkdir -p "$BASE.tmp"
  bash "$HERE/lib/base.sh" "$BASE.tmp/root" "$mirror" >&2 || die "base root build failed (see above)"
  rm -rf "$BASE"
  mv "$BASE.tmp" "$BASE"
  touch "$BASE/complete"
  say "base root done ($(( $(date +%s) - START ))s)"
else
  say "base root cached: $BASE"
fi
ROOT=$BASE/root
for m in proc sys dev; do
  mountpoint -q "$ROOT/$m" && die "$ROOT/$m is still mounted; unmount it before mkfs"
done
KVER=$(cat "$ROOT/.stratum-kernel")

# --- stage 2: image (node, init, mkfs) -----------------------------------------------------
say "assembling image $IMG (kernel $KVER)"
rm -rf "$IMG.tmp"
mkdir -p "$IMG.tmp"
install -m 755 "$NODE_BIN" "$ROOT/usr/local/bin/node"
rm -rf "$ROOT/usr/local/lib/node_modules"
if [ -n "$NPM_DIR" ]; then
  mkdir -p "$ROOT/usr/local/lib/node_modules"
  cp -a "$NPM_DIR" "$ROOT/usr/local/lib/node_modules/npm"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$ROOT/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$ROOT/usr/local/bin/npx"
fi
install -m 755 "$HERE/guest/init.sh" "$ROOT/sbin/stratum-init"
chroot "$ROOT" /usr/local/bin/node --version >/dev/null || die "the host's node does not run in the guest root"

cp "$ROOT/boot/vmlinuz-$KVER" "$IMG.tmp/vmlinuz" || die "no vmlinuz-$KVER"
cp "$ROOT/boot/initrd.img-$KVER" "$IMG.tmp/initrd.img" || die "no initrd.img-$KVER"
echo "$KVER" > "$IMG.tmp/kernel-version"
say "mkfs.ext4 -d (root tree -> rootfs.img, 3G sparse)"
mkfs.ext4 -q -F -L stratum-root -d "$ROOT" "$IMG.tmp/rootfs.img" 3G >&2 || die "mkfs.ext4 -d failed"
rm -rf "$IMG"
mv "$IMG.tmp" "$IMG"
touch "$IMG/complete"
# Older images of this cache are stale once a new one is complete.
for old in "$CACHE"/img-*; do
  [ "$old" = "$IMG" ] || [ ! -d "$old" ] || rm -rf "$old"
done
say "image ready: $IMG (elapsed $(( $(date +%s) - START ))s)"
echo "image: $IMG"
