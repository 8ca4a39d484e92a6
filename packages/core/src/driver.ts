/**
 * The driver algebra: what a storage backend (the in-memory simulator, real ZFS, a third
 * party's) implements. Every operation is a lazy `TaskEither<StorageError, A>`; nothing
 * throws. Names are branded and already valid when they reach a driver.
 *
 * Vocabulary, as in ZFS: a *dataset* (filesystem) `pool/a/b` lives in a namespace; its
 * *snapshots* `pool/a/b@s` are immutable and O(1); a *clone* is a dataset made from a
 * snapshot, its *origin*; *promote* reverses that dependency. Each rule below is one
 * sentence the conformance suite checks.
 *
 * Lifecycle rules (errors are `StorageError` tags):
 * - create: the dataset must not exist (DatasetExists); its parent must (ParentNotFound),
 *   unless `parents` is set, which creates the missing ancestors and succeeds silently when
 *   the dataset exists already.
 * - snapshot: the dataset must exist (DatasetNotFound) and the snapshot must not (DatasetExists).
 *   `recursive` snapshots the dataset and every descendant under the same short name,
 *   atomically: if any of them has that snapshot already, none is created (DatasetExists).
 * - clone: the origin snapshot must exist (DatasetNotFound), the target must not
 *   (DatasetExists), the target's parent must (ParentNotFound); pools must match (InvalidName).
 *   The clone starts with the snapshot's files and `origin` = the snapshot.
 * - promote: the dataset must exist (DatasetNotFound) and be a clone (NotAClone). The origin
 *   dataset's snapshots up to and including the origin move to the clone, keeping their
 *   names; the old origin dataset becomes a clone of the moved snapshot; other clones of the
 *   moved snapshots keep them as origin under their new names. If the clone already has a
 *   snapshot with the name of one that would move: SnapshotNameConflict and nothing moves.
 * - rename (datasets): source must exist (DatasetNotFound); target must not (DatasetExists);
 *   target parent must exist (ParentNotFound) unless `parents`; not into the source's own
 *   subtree nor another pool (InvalidName). Children and snapshots follow; origins of clones
 *   follow. Renaming to the same name succeeds and does nothing.
 * - rename (snapshots): within one dataset only (InvalidName); source must exist
 *   (DatasetNotFound); target must not (DatasetExists).
 * - destroy: missing dataset or snapshot: DatasetNotFound. A filesystem with children or
 *   snapshots needs `recursive` (HasChildren, listing them). A snapshot with clones, or with
 *   `recursive` a tree one of whose snapshots has clones outside it, needs `dependents`
 *   (HasDependentClones, listing them). `dependents` also destroys those clones and their
 *   descendants wherever they are. A clone's destruction never touches its origin. With
 *   `recursive` or `dependents`, a walk of dependents that meets a dataset again (a clone of a
 *   snapshot below itself, after a promote) is RecursiveDependency naming the target and that
 *   dataset, checked before anything is destroyed.
 * - list: the root dataset and, recursively, its descendants and all their snapshots, in
 *   zfs order: byte order of the dataset name, a filesystem before its snapshots, snapshots
 *   by creation. Missing root: DatasetNotFound.
 * - user properties: `module:prop` names; set on datasets and snapshots; inherited by
 *   namespace children (and by snapshots from their dataset), never by clones from their
 *   origin; they stay with a dataset through rename and promote. A value of 8192 bytes or
 *   more is LimitExceeded.
 * - diff: `from` must be a snapshot of `to` when `to` is a dataset, a strictly earlier
 *   snapshot of the same dataset when `to` is a snapshot (not `to` itself), or at or before an
 *   origin in `to`'s origin chain (InvalidName otherwise, reason
 *   'not an earlier snapshot from the same fs'); missing: DatasetNotFound.
 * - fs: a dataset's files (read-write) or a snapshot's (read-only, EROFS on writes). The
 *   dataset (a snapshot's dataset) must be mounted (Io EIO naming it otherwise); a tree handed
 *   out before an unmount is unspecified after it.
 * - native properties (native.ts), of filesystems: a fresh filesystem
 *   has canmount=on, readonly off, no quotas, and the mountpoint of its namespace parent plus
 *   '/' and its last component ('legacy'/'none' inherit as they are); it is mounted at creation
 *   when canmount=on and the mountpoint is a path. `setNative` and the `native` option of create
 *   and clone set them (a value settableProblem rejects: InvalidName naming the dataset, nothing
 *   set); mountpoint=none or legacy unmounts. readonly=on makes writes EROFS.
 * - space (settled, as after a txg sync; the zfs driver syncs the pool first): writing n bytes
 *   of incompressible data raises referenced by at least n; a fresh clone's referenced is its
 *   origin's while its used and written are near zero, and both grow with its own writes;
 *   under a refquota, available is at most refquota - referenced and shrinks by what is written.
 *   spaceTree(root) gives root and every filesystem below it (no snapshots) what space gives
 *   each; missing root: DatasetNotFound.
 * - quotas (EDQUOT): a file write that would take a dataset's referenced past its refquota, or
 *   the used of it or an ancestor past that one's quota, fails with QuotaExceeded naming the
 *   dataset whose property it met, the property and its limit. The simulator refuses the whole
 *   write; real ZFS checks at txg granularity and may keep a part written before EDQUOT (about
 *   the limit at most). Unlinking and truncating always pass.
 * - mount/unmount: missing filesystem DatasetNotFound; both are idempotent (mounting a mounted
 *   filesystem or unmounting an unmounted one succeeds and changes nothing). Mounting with
 *   canmount=off or a mountpoint of none or legacy is Unsupported, naming the property.
 * - hostPath: the directory of a mounted filesystem's files on this host (its mountpoint);
 *   not mounted: Io EIO. Only on drivers with `capabilities.hostPaths` (others: Unsupported).
 *
 * Durability: a call that reported success survives the death of its process (SIGKILL
 * included). After a machine crash (power loss, reboot), every namespace change that
 * succeeded (all the calls above but fs) survives, while file-tree changes made since the
 * last namespace change may be lost, as on ZFS before a txg sync; the state is then that of
 * some earlier moment, never a torn mixture. Stores build on this: a layer is `ready` only
 * after namespace changes that follow all of its writes.
 */
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { DiffRecord } from './diff.js'
import type { StorageError } from './errors.js'
import type { FileTree } from './fs.js'
import type { AnyName, DatasetName, PropertyName, SnapshotName } from './names.js'
import type { NativeProperties, SettableNative, SpaceInfo } from './native.js'

/** A dataset's kind as `list` reports it: a filesystem or a snapshot. */
export type DatasetType = 'filesystem' | 'snapshot'

/** One dataset or snapshot as `Driver.list` reports it. */
export interface DatasetInfo {
  readonly name: AnyName
  readonly type: DatasetType
  /** for a clone: the snapshot it was cloned from (after renames and promotes); else null */
  readonly origin: SnapshotName | null
  /** for a snapshot: the datasets cloned from it, sorted; else [] */
  readonly clones: readonly DatasetName[]
  /** effective user properties: local and inherited */
  readonly properties: Readonly<Record<string, string>>
}

/** Where a property's value comes from: set on the dataset itself, or inherited from an ancestor. */
export type PropertySource = { readonly kind: 'local' } | { readonly kind: 'inherited'; readonly from: DatasetName }

/** A user property's value and where it comes from (`Driver.getProperty`). */
export interface PropertyValue {
  readonly value: string
  readonly source: PropertySource
}

/** What a driver supports. The suite skips only what is declared unsupported; it never branches on a driver's name. */
export interface Capabilities {
  /** extended attributes in `FileTree` */
  readonly xattrs: boolean
  /** block and character device nodes in `FileTree.mknod` */
  readonly deviceNodes: boolean
  /** chown to arbitrary uid/gid (needs root on a real file system) */
  readonly chown: boolean
  /**
   * A child dataset's mountpoint shows up as a directory in its parent's file tree (real ZFS
   * mounts children inside their parent). The algebra leaves the file tree of a dataset that
   * has hosted children unspecified at those names; the suite compares such trees and their
   * diffs only on drivers without this flag.
   */
  readonly mountpointDirectories?: boolean
  /** `hostPath` gives a mounted filesystem's directory on this host (the simulator has none) */
  readonly hostPaths: boolean
}

/** Options of `Driver.create`. */
export interface CreateDatasetOptions {
  readonly parents?: boolean
  /** user properties set atomically with the creation */
  readonly properties?: Readonly<Record<PropertyName, string>>
  /** the dataset holds no files, only properties: a driver with mounts need not mount it (zfs canmount=off) */
  readonly noFiles?: boolean
  /** native properties set with the creation (one zfs command) */
  readonly native?: SettableNative
}

/** Options of `Driver.destroy` (zfs destroy's -r and -R). */
export interface DestroyOptions {
  /** -r: descendants and snapshots */
  readonly recursive?: boolean
  /** -R: also dependent clones, wherever they are */
  readonly dependents?: boolean
}

/** The driver algebra: the ZFS operations Stratum needs, as lazy TaskEithers failing with a `StorageError`. Implemented by `@stratum/sim-driver` and `@stratum/zfs-driver`, checked by `@stratum/conformance`. */
export interface Driver {
  readonly capabilities: Capabilities

  /** Creates filesystem `name`: DatasetExists, ParentNotFound (unless `parents`). */
  create(name: DatasetName, opts?: CreateDatasetOptions): TaskEither<StorageError, void>
  /** Snapshots a filesystem (with `recursive`, its descendants too): DatasetExists, DatasetNotFound. */
  snapshot(
    name: SnapshotName,
    opts?: { readonly recursive?: boolean; readonly properties?: Readonly<Record<PropertyName, string>> },
  ): TaskEither<StorageError, void>
  /** Clones snapshot `origin` as filesystem `target`: DatasetNotFound, DatasetExists, ParentNotFound. */
  clone(
    origin: SnapshotName,
    target: DatasetName,
    opts?: { readonly properties?: Readonly<Record<PropertyName, string>>; readonly native?: SettableNative },
  ): TaskEither<StorageError, void>
  /** Promotes clone `name` so its origin's snapshots move to it (zfs promote). */
  promote(name: DatasetName): TaskEither<StorageError, void>
  /** Renames a filesystem (with its snapshots and children): DatasetNotFound, DatasetExists, ParentNotFound. */
  rename(from: DatasetName, to: DatasetName, opts?: { readonly parents?: boolean }): TaskEither<StorageError, void>
  /** Renames a snapshot within its filesystem: DatasetNotFound, DatasetExists. */
  renameSnapshot(from: SnapshotName, to: SnapshotName): TaskEither<StorageError, void>
  /** Destroys a dataset or snapshot: HasChildren, HasDependentClones unless the options allow them. */
  destroy(name: AnyName, opts?: DestroyOptions): TaskEither<StorageError, void>

  /** Whether the dataset or snapshot exists. */
  exists(name: AnyName): TaskEither<StorageError, boolean>
  /** `root`, its descendants and their snapshots (DatasetNotFound when `root` is missing). */
  list(root: DatasetName): TaskEither<StorageError, readonly DatasetInfo[]>

  /** A user property's effective value, undefined when neither set nor inherited. */
  getProperty(name: AnyName, prop: PropertyName): TaskEither<StorageError, PropertyValue | undefined>
  /** Sets a user property locally on the dataset or snapshot. */
  setProperty(name: AnyName, prop: PropertyName, value: string): TaskEither<StorageError, void>
  /** removes the local value (zfs inherit); inherited values show through again */
  inheritProperty(name: AnyName, prop: PropertyName): TaskEither<StorageError, void>

  /** the typed native properties of a filesystem (one zfs get) */
  getNative(name: DatasetName): TaskEither<StorageError, NativeProperties>
  /** sets the given native properties, all in one call */
  setNative(name: DatasetName, props: SettableNative): TaskEither<StorageError, void>
  /** space, settled: the zfs driver syncs the pool first */
  space(name: DatasetName): TaskEither<StorageError, SpaceInfo>
  /** `space` of `root` and every filesystem below it, settled, by name (zfs: one sync and one `zfs get -r`) */
  spaceTree(root: DatasetName): TaskEither<StorageError, ReadonlyMap<DatasetName, SpaceInfo>>
  /** Mounts a filesystem (idempotent). */
  mount(name: DatasetName): TaskEither<StorageError, void>
  /** Unmounts a filesystem (idempotent). */
  unmount(name: DatasetName): TaskEither<StorageError, void>
  /** where a mounted filesystem's files are on this host */
  hostPath(name: DatasetName): TaskEither<StorageError, string>

  /** What changed from snapshot `from` to `to` (zfs diff), as records. */
  diff(from: SnapshotName, to: AnyName): TaskEither<StorageError, readonly DiffRecord[]>

  /** The file tree of a filesystem, or read-only of a snapshot. */
  fs(name: AnyName): TaskEither<StorageError, FileTree>
}
