/**
 * A root-confined file tree: the files inside one dataset (or, read-only, one snapshot).
 *
 * Paths are relative to the dataset root and written with '/': `a/b/c`. Leading '/' and
 * empty or '.' components are ignored; '' and '/' name the root itself.
 *
 * Resolution is confined like Linux openat2(RESOLVE_IN_ROOT): every component but the last
 * is resolved inside the root; a symlink met on the way is followed with its target
 * re-rooted (an absolute target starts again at the root, '..' at the root stays at the
 * root); more than 40 symlinks is ELOOP. The FINAL component is never followed: every
 * operation acts on the entry itself (lstat, lchown, lutimes, O_NOFOLLOW semantics).
 * No operation can create, change or read anything outside the root.
 *
 * Failures are `Io` errors with an errno-style `code` (see `FsCode`), the same code for every driver.
 */
import type { Either } from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { StorageError } from './errors.js'

/** zfs diff's file type letters: F file, / directory, @ symlink, | fifo, = socket, B block device, C char device. */
export type FileType = 'F' | '/' | '@' | '|' | '=' | 'B' | 'C'

/** What `FileTree.lstat` reports of an entry. */
export interface Stat {
  readonly type: FileType
  /** permission bits including setuid/setgid/sticky: `mode & 0o7777` */
  readonly mode: number
  readonly uid: number
  readonly gid: number
  /** bytes of a regular file; length of a symlink's target; 0 for other types (directories: driver-specific, not compared) */
  readonly size: number
  /** modification time, integer milliseconds since the epoch */
  readonly mtimeMs: number
  /**
   * object identity inside the dataset; a clone keeps its origin's object numbers. Except the
   * root of a snapshot's tree: real ZFS reports it with the number of its `.zfs/snapshot/<s>`
   * directory, different in every snapshot (the root is still the same directory throughout)
   */
  readonly ino: number
  readonly nlink: number
  /** device number for B and C */
  readonly rdev: number
}

/** The metadata a new entry gets. */
export interface CreateOptions {
  /** permission bits, default 0o644 for files, 0o755 for directories, 0o777 for symlinks */
  readonly mode?: number
  readonly uid?: number
  readonly gid?: number
  readonly mtimeMs?: number
}

/** Options of `FileTree.writeFile`. */
export interface WriteOptions extends CreateOptions {
  /**
   * 'create' (default): the final component must not exist (EEXIST).
   * 'truncate': an existing regular file is truncated and rewritten in place (same object, ino kept);
   *   a missing one is created. A symlink is never followed (ELOOP); a directory is EISDIR.
   * 'append': like 'truncate' but keeps the existing bytes.
   */
  readonly flag?: 'create' | 'truncate' | 'append'
}

/** A chunk of file content. */
export type Bytes = Uint8Array
/** Content to write: bytes, or a stream of chunks (a Node Readable is one). */
export type Content = Bytes | AsyncIterable<Bytes>

/** One dataset's (or snapshot's) files, root-confined; failures are `Io` errors with an errno-style code. */
export interface FileTree {
  /** True when this tree is a snapshot's: every mutating call fails with EROFS. */
  readonly readOnly: boolean

  /** The entry's metadata, the final component not followed (ENOENT when missing). */
  lstat(path: string): TaskEither<StorageError, Stat>
  /** Entry names of a directory, sorted by byte order, without '.' and '..'. */
  readdir(path: string): TaskEither<StorageError, readonly string[]>
  /** A symlink's target (EINVAL for anything else). */
  readlink(path: string): TaskEither<StorageError, string>
  /** The content of a regular file as a stream (EISDIR for a directory, ELOOP for a symlink, EINVAL for others). */
  read(path: string): TaskEither<StorageError, AsyncIterable<Bytes>>

  /** Writes a regular file (see `WriteOptions.flag`): EEXIST, ENOENT for a missing parent, EISDIR. */
  writeFile(path: string, content: Content, opts?: WriteOptions): TaskEither<StorageError, void>
  /** Creates a directory: EEXIST, ENOENT for a missing parent. */
  mkdir(path: string, opts?: CreateOptions): TaskEither<StorageError, void>
  /** Creates symlink `path` pointing at `target` (stored as given, never resolved). */
  symlink(target: string, path: string, opts?: Omit<CreateOptions, 'mode'>): TaskEither<StorageError, void>
  /** Hard link: `path` becomes another name of the object at `existing` (never followed: linking a symlink links the symlink). EPERM for a directory. */
  link(existing: string, path: string): TaskEither<StorageError, void>
  /** Creates a fifo, socket or device node (devices need `Capabilities.deviceNodes`). */
  mknod(
    path: string,
    type: '|' | 'B' | 'C' | '=',
    opts?: CreateOptions & { readonly rdev?: number },
  ): TaskEither<StorageError, void>

  /** Removes a non-directory: ENOENT, EISDIR. */
  unlink(path: string): TaskEither<StorageError, void>
  /** Removes an empty directory: ENOENT, ENOTEMPTY, ENOTDIR. */
  rmdir(path: string): TaskEither<StorageError, void>
  /** rename(2): replaces a non-directory target or an empty directory target; EINVAL moving a directory under itself. */
  rename(from: string, to: string): TaskEither<StorageError, void>

  /** chmod of a symlink changes nothing (Linux keeps no symlink mode: lstat shows 0o777) and modifies no object. */
  chmod(path: string, mode: number): TaskEither<StorageError, void>
  /** Sets owner and group (lchown: a symlink itself). */
  chown(path: string, uid: number, gid: number): TaskEither<StorageError, void>
  /** Sets the modification time (lutimes: a symlink itself). */
  utimes(path: string, mtimeMs: number): TaskEither<StorageError, void>

  /** Extended attributes, where `Capabilities.xattrs`; otherwise `Unsupported`. */
  listXattrs(path: string): TaskEither<StorageError, readonly string[]>
  /** An extended attribute's value: ENODATA when it is not set. */
  getXattr(path: string, name: string): TaskEither<StorageError, Bytes>
  /** Sets an extended attribute. */
  setXattr(path: string, name: string, value: Bytes): TaskEither<StorageError, void>
  /** Removes an extended attribute: ENODATA when it is not set. */
  removeXattr(path: string, name: string): TaskEither<StorageError, void>

  /** The same calls made at once, where the tree makes them synchronously (a host tree): no promise per call. */
  readonly now?: FileTreeNow
}

/** A few `FileTree` calls run synchronously, with the same results and errors as the tasks. */
export interface FileTreeNow {
  /** `FileTree.lstat`, now */
  lstat(path: string): Either<StorageError, Stat>
  /** `FileTree.mkdir`, now */
  mkdir(path: string, opts?: CreateOptions): Either<StorageError, void>
  /** `FileTree.writeFile` of bytes held in memory, now */
  writeFile(path: string, content: Bytes, opts?: WriteOptions): Either<StorageError, void>
  /** `FileTree.symlink`, now */
  symlink(target: string, path: string, opts?: CreateOptions): Either<StorageError, void>
  /**
   * `writeFile` of bytes at a free name (flag 'create'), which the tree may make later, beside
   * the caller (a host tree's writer thread). Its failure is told by `settle`, under `label`.
   * Every other call of the tree waits for the queued writes first, but `mkdir`, `writeFile`,
   * `symlink` and the queued calls here do not: none of them may use a name queued until `settle`.
   */
  writeLater?(path: string, content: Bytes, opts: WriteOptions, label: string): Either<StorageError, void>
  /** `mkdir` now with its owner, its mode set later (as `writeLater`: told by `settle`, under `label`) */
  mkdirLater?(path: string, opts: CreateOptions, label: string): Either<StorageError, void>
  /** Waits for the calls `writeLater` and `mkdirLater` queued: the first that failed, with the label it was queued under. */
  settle?(): Either<LaterFailure, void>
}

/** A call `FileTreeNow.writeLater` or `mkdirLater` queued that failed: the caller's label for it, and the error. */
export interface LaterFailure {
  readonly label: string
  readonly error: StorageError
}
