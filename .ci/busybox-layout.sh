#!/usr/bin/env bash
# Writes an OCI layout of Debian's busybox-static (the binary and its applet links under /bin)
# into .busybox-layout/ of the repository, tag `busybox`, packed with umoci on this host: the
# guest has neither, and reads the repository through its 9p share (cli/test/chroot.test.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
out=.busybox-layout
bb=$(command -v busybox || true)
[ -n "$bb" ] && dpkg-query -W busybox-static >/dev/null 2>&1 ||
  { echo "busybox-static is not installed (apt-get install busybox-static)" >&2; exit 1; }
command -v umoci >/dev/null || { echo "umoci is not installed" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/root/bin" "$work/root/tmp" "$work/root/etc"
cp "$bb" "$work/root/bin/busybox"
for a in $("$bb" --list); do [ "$a" = busybox ] || ln -s busybox "$work/root/bin/$a"; done
echo 'root:x:0:0:root:/:/bin/sh' >"$work/root/etc/passwd"
rm -rf "$out.new"
umoci init --layout "$out.new"
umoci new --image "$out.new:busybox"
umoci insert --image "$out.new:busybox" "$work/root" /
rm -rf "$out" && mv "$out.new" "$out"
echo "busybox layout: $out ($("$bb" --list | wc -l) applets, $(dpkg-query -W -f '${Version}' busybox-static 2>/dev/null || echo '?'))"
