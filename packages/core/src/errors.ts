/**
 * One tagged union of every failure a Stratum driver or algorithm can report.
 * The same tags for every driver: the conformance suite compares them.
 */

/** errno-style codes for file-tree operations (`Io` errors raised by `FileTree`). */
export type FsCode =
  | 'ENOENT' // a path component does not exist
  | 'EEXIST' // the final component already exists
  | 'ENOTDIR' // a non-final component is not a directory
  | 'EISDIR' // a directory where a non-directory was expected
  | 'ENOTEMPTY' // rmdir of a non-empty directory
  | 'ELOOP' // too many symlinks while resolving, or a symlink as the final component of a no-follow open
  | 'EINVAL' // e.g. rename of a directory into itself, readlink of a non-symlink
  | 'EROFS' // writing to a snapshot
  | 'EPERM' // e.g. hardlink to a directory
  | 'EXDEV' // link or rename across datasets
  | 'ENODATA' // missing xattr
  | 'ENOSPC' // the disk (or a quota) is full
  | 'EIO' // anything else

/** Every failure of every Stratum operation: one tagged union, matched on `_tag`; `formatError` gives one human line. */
export type StorageError =
  | { readonly _tag: 'DatasetExists'; readonly name: string }
  | { readonly _tag: 'DatasetNotFound'; readonly name: string }
  | { readonly _tag: 'ParentNotFound'; readonly name: string }
  /** destroy without -r of a filesystem with children or snapshots; `dependents` as zfs prints them */
  | { readonly _tag: 'HasChildren'; readonly name: string; readonly dependents: readonly string[] }
  /** destroy of a snapshot (or of a tree with -r) that clones depend on; `clones` as zfs prints them */
  | { readonly _tag: 'HasDependentClones'; readonly name: string; readonly clones: readonly string[] }
  /**
   * destroy with `recursive`/`dependents` whose walk of dependents meets a dataset again, e.g. a
   * clone of its own descendant's snapshot after a promote; `at` is that dataset
   */
  | { readonly _tag: 'RecursiveDependency'; readonly name: string; readonly at: string }
  | { readonly _tag: 'NotAClone'; readonly name: string }
  /** promote would move a snapshot whose short name the clone already has */
  | { readonly _tag: 'SnapshotNameConflict'; readonly name: string; readonly snapshot: string; readonly origin: string }
  | { readonly _tag: 'Busy'; readonly name: string; readonly reason?: string }
  | { readonly _tag: 'InvalidName'; readonly name: string; readonly reason: string }
  /** a reference (image name, chainID or chainID prefix) that names nothing in the store */
  | { readonly _tag: 'ReferenceNotFound'; readonly name: string; readonly reason: string }
  /** a chainID prefix that more than one layer has; `candidates` are their chainIDs */
  | { readonly _tag: 'AmbiguousReference'; readonly name: string; readonly candidates: readonly string[] }
  | { readonly _tag: 'PermissionDenied'; readonly name: string }
  | { readonly _tag: 'CorruptLayer'; readonly what: string; readonly reason: string; readonly entry?: string }
  | { readonly _tag: 'DigestMismatch'; readonly what: string; readonly expected: string; readonly actual: string }
  | { readonly _tag: 'UnsafePath'; readonly entry: string; readonly reason: string }
  | { readonly _tag: 'LimitExceeded'; readonly what: string; readonly limit: number; readonly entry?: string }
  /**
   * a write that would take a dataset past its refquota, or past the quota of `name` (the dataset
   * or an ancestor): EDQUOT; `limit` is that property's value in bytes, `path` the file written
   */
  | {
      readonly _tag: 'QuotaExceeded'
      readonly name: string
      readonly property: 'quota' | 'refquota'
      readonly limit: number
      readonly path: string
    }
  | { readonly _tag: 'Unsupported'; readonly what: string }
  /** the caller's AbortSignal ended the task `what`; its partial work was undone */
  | { readonly _tag: 'Cancelled'; readonly what: string }
  /**
   * an OCI registry refused or failed a request (`status` its HTTP status, undefined when it
   * could not be reached); `what` names the manifest or blob (a tag or digest) when there is one
   */
  | {
      readonly _tag: 'Registry'
      readonly registry: string
      readonly repository: string
      readonly what: string
      readonly status: number | undefined
      readonly reason: string
    }
  | {
      readonly _tag: 'Io'
      readonly code: FsCode
      readonly path: string
      readonly message: string
      readonly cause?: unknown
    }

/** The `_tag` of a `StorageError`. */
export type StorageErrorTag = StorageError['_tag']

/** Every `StorageErrorTag`, for exhaustive checks and `isStorageError`. */
export const ALL_ERROR_TAGS: readonly StorageErrorTag[] = [
  'DatasetExists',
  'DatasetNotFound',
  'ParentNotFound',
  'HasChildren',
  'HasDependentClones',
  'RecursiveDependency',
  'NotAClone',
  'SnapshotNameConflict',
  'Busy',
  'InvalidName',
  'ReferenceNotFound',
  'AmbiguousReference',
  'PermissionDenied',
  'CorruptLayer',
  'DigestMismatch',
  'UnsafePath',
  'LimitExceeded',
  'QuotaExceeded',
  'Unsupported',
  'Cancelled',
  'Registry',
  'Io',
]

type Of<T extends StorageErrorTag> = Extract<StorageError, { _tag: T }>
type Fields<T extends StorageErrorTag> = Omit<Of<T>, '_tag'>

/** Constructs a tagged error: `err('DatasetNotFound', { name })`. */
export const err = <T extends StorageErrorTag>(tag: T, fields: Fields<T>): StorageError =>
  ({ _tag: tag, ...fields }) as unknown as StorageError

/** Whether `u` is a `StorageError` value (a rejection of the Promise façade is one). */
export const isStorageError = (u: unknown): u is StorageError =>
  typeof u === 'object' &&
  u !== null &&
  typeof (u as { _tag?: unknown })._tag === 'string' &&
  (ALL_ERROR_TAGS as readonly string[]).includes((u as { _tag: string })._tag)

/** One human line: the tag and the thing it is about. */
export const describeError = (e: StorageError): string => {
  switch (e._tag) {
    case 'DatasetExists':
      return `DatasetExists: '${e.name}': dataset already exists`
    case 'DatasetNotFound':
      return `DatasetNotFound: '${e.name}': dataset does not exist`
    case 'ParentNotFound':
      return `ParentNotFound: '${e.name}': parent does not exist`
    case 'HasChildren':
      return `HasChildren: '${e.name}': has children: ${e.dependents.join(', ')}`
    case 'HasDependentClones':
      return `HasDependentClones: '${e.name}': dependent clones: ${e.clones.join(', ')}`
    case 'RecursiveDependency':
      return `RecursiveDependency: '${e.name}': cannot determine dependent datasets: recursive dependency at '${e.at}'`
    case 'NotAClone':
      return `NotAClone: '${e.name}': not a cloned filesystem`
    case 'SnapshotNameConflict':
      return `SnapshotNameConflict: '${e.name}': conflicting snapshot '${e.snapshot}' from parent '${e.origin}'`
    case 'Busy':
      return `Busy: '${e.name}'${e.reason ? `: ${e.reason}` : ''}`
    case 'InvalidName':
      return `InvalidName: '${e.name}': ${e.reason}`
    case 'ReferenceNotFound':
      return `ReferenceNotFound: '${e.name}': ${e.reason}`
    case 'AmbiguousReference':
      return `AmbiguousReference: '${e.name}' is a prefix of ${e.candidates.length} layers: ${e.candidates.join(', ')}`
    case 'PermissionDenied':
      return `PermissionDenied: '${e.name}'`
    case 'CorruptLayer':
      return `CorruptLayer: ${e.what}${e.entry !== undefined ? ` entry '${e.entry}'` : ''}: ${e.reason}`
    case 'DigestMismatch':
      return `DigestMismatch: ${e.what}: expected ${e.expected}, got ${e.actual}`
    case 'UnsafePath':
      return `UnsafePath: entry '${e.entry}': ${e.reason}`
    case 'LimitExceeded':
      return `LimitExceeded: ${e.what} over ${e.limit}${e.entry !== undefined ? ` at entry '${e.entry}'` : ''}`
    case 'QuotaExceeded':
      return `QuotaExceeded: '${e.name}': ${e.property} of ${e.limit} bytes reached writing '${e.path}' (EDQUOT)`
    case 'Unsupported':
      return `Unsupported: ${e.what}`
    case 'Cancelled':
      return `Cancelled: ${e.what}`
    case 'Registry':
      return `Registry: ${e.registry}/${e.repository}${e.what === '' ? '' : ` ${e.what}`}: ${e.status === undefined ? '' : `HTTP ${e.status}: `}${e.reason}`
    case 'Io':
      return `Io: ${e.code} '${e.path}': ${e.code === 'ENOSPC' ? 'the disk is full: ' : ''}${e.message}`
  }
}

/** An `Io` error: the errno-style code and the path it is about. */
export const ioError = (code: FsCode, path: string, message?: string, cause?: unknown): StorageError =>
  err('Io', { code, path, message: message ?? code, ...(cause === undefined ? {} : { cause }) })
