# The guest CI job's two lanes of test files (sourced by ci.sh and warm-modules.sh): one vitest each, its files in one worker (--no-isolate: the shared
# modules load once, not once per file); side by side on a guest with two CPUs, else in turn.
# The tests that need no pool (fakes, temp directories) run on the host in the README's test
# command; here run the pool's tests and the host-tree tests whose file system matters (xattrs,
# byte names, semantics: TMPDIR is on the pool). Lanes are balanced by the durations ci.sh prints.
LANE_A=(
  packages/zfs-driver/test/conformance/crash.test.ts
  packages/zfs-driver/test/conformance/hostile.test.ts
  packages/zfs-driver/test/processes.test.ts
  packages/cli/test/chroot.test.ts
  packages/zfs-driver/test/differential.test.ts
)
LANE_B=(
  packages/zfs-driver/test/conformance/algebra.test.ts
  packages/zfs-driver/test/conformance/layers.test.ts
  packages/zfs-driver/test/hostfs/xattrs.test.ts
  packages/zfs-driver/test/hostfs/xattr-layer.test.ts
  packages/zfs-driver/test/hostfs/byte-names.test.ts
  packages/zfs-driver/test/hostfs/semantics.test.ts
  packages/cli/test/zfs.test.ts
)
