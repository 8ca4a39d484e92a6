/**
 * The `FileTree` of one dataset (read-write) or snapshot (read-only, EROFS on writes),
 * over the pure operations in ops-entries.ts and ops-attrs.ts.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { ioError, type Bytes, type Content, type FileTree, type Stat, type StorageError } from '@stratum/core'
import { keepLookups } from './lookups.js'
import type { Alloc, ObjSet } from './objset.js'
import * as A from './ops-attrs.js'
import * as W from './ops-entries.js'

export interface TreeHost {
  readonly readOnly: boolean
  /** runs `f` on the object set now (an error when the dataset or snapshot is gone) */
  readonly read: <A>(f: (os: ObjSet) => E.Either<StorageError, A>) => TE.TaskEither<StorageError, A>
  /**
   * Applies `f` to the live dataset's object set and installs the result, in one synchronous
   * step (no interleaving with other calls), then persists it when the driver is persistent.
   */
  readonly update: (
    path: string,
    f: (os: ObjSet) => E.Either<StorageError, ObjSet>,
  ) => TE.TaskEither<StorageError, void>
  readonly alloc: Alloc
  /**
   * The inode number lstat reports for the root directory, when not its object number. Real
   * ZFS gives the root of a mounted snapshot the number of its `.zfs/snapshot/<s>` directory
   * (ZFSCTL_INO_SNAPDIRS - objset id, zfs_getattr_fast), so two snapshots' roots differ.
   */
  readonly rootIno?: number
}

const CHUNK = 64 * 1024

/** ZFSCTL_INO_SNAPDIRS (zfs_ctldir.h): snapshot directories are numbered down from it by objset id. */
const ZFSCTL_INO_SNAPDIRS = 0xfffffffffffc

/** The root inode number of a mounted snapshot, the snapshot's guid standing in for its objset id. */
export const snapshotRootIno = (snapGuid: number): number => ZFSCTL_INO_SNAPDIRS - snapGuid

async function* chunks(bytes: Uint8Array): AsyncGenerator<Bytes> {
  for (let off = 0; off < bytes.length; off += CHUNK) yield bytes.slice(off, off + CHUNK)
}

/** Copies the content into one fresh buffer the tree owns. */
const collect = (path: string, content: Content): TE.TaskEither<StorageError, Uint8Array> => {
  if (content instanceof Uint8Array) return TE.right(Uint8Array.from(content))
  return TE.tryCatch(
    async () => {
      const parts: Uint8Array[] = []
      let total = 0
      for await (const c of content) {
        parts.push(c)
        total += c.length
      }
      const out = new Uint8Array(total)
      let off = 0
      for (const p of parts) {
        out.set(p, off)
        off += p.length
      }
      return out
    },
    (cause) => ioError('EIO', path, `reading content: ${String(cause)}`, cause),
  )
}

export const createTree = (host: TreeHost): FileTree => {
  const query = <A>(f: (os: ObjSet) => E.Either<StorageError, A>): TE.TaskEither<StorageError, A> =>
    host.read((os) => f(keepLookups(os)))
  const change = (path: string, f: (os: ObjSet) => W.Step): TE.TaskEither<StorageError, void> =>
    host.readOnly ? TE.left(ioError('EROFS', path, 'snapshots are read-only')) : host.update(path, f)
  const a = host.alloc
  return {
    readOnly: host.readOnly,
    lstat: (p) =>
      query((os) =>
        E.map(
          (st: Stat): Stat => (host.rootIno !== undefined && st.ino === os.rootObj ? { ...st, ino: host.rootIno } : st),
        )(A.lstat(os, p)),
      ),
    readdir: (p) => query((os) => A.readdir(os, p)),
    readlink: (p) => query((os) => A.readlink(os, p)),
    read: (p) => query((os) => E.map((b: Uint8Array): AsyncIterable<Bytes> => chunks(b))(A.contentOf(os, p))),
    writeFile: (p, content, opts = {}) =>
      host.readOnly
        ? TE.left(ioError('EROFS', p, 'snapshots are read-only'))
        : pipe(
            collect(p, content),
            TE.flatMap((bytes) => change(p, (os) => W.writeFile(os, p, bytes, opts, a))),
          ),
    mkdir: (p, opts = {}) => change(p, (os) => W.mkdir(os, p, opts, a)),
    symlink: (target, p, opts = {}) => change(p, (os) => W.symlink(os, target, p, opts, a)),
    link: (existing, p) => change(p, (os) => W.link(os, existing, p, a)),
    mknod: (p, type, opts = {}) => change(p, (os) => W.mknod(os, p, type, opts, a)),
    unlink: (p) => change(p, (os) => W.unlink(os, p, a)),
    rmdir: (p) => change(p, (os) => W.rmdir(os, p, a)),
    rename: (from, to) => change(from, (os) => W.rename(os, from, to, a)),
    chmod: (p, mode) => change(p, (os) => A.chmod(os, p, mode)),
    chown: (p, uid, gid) => change(p, (os) => A.chown(os, p, uid, gid)),
    utimes: (p, mtimeMs) => change(p, (os) => A.utimes(os, p, mtimeMs)),
    listXattrs: (p) => query((os) => A.listXattrs(os, p)),
    getXattr: (p, name) => query((os) => A.getXattr(os, p, name)),
    setXattr: (p, name, value) => change(p, (os) => A.setXattr(os, p, name, value)),
    removeXattr: (p, name) => change(p, (os) => A.removeXattr(os, p, name)),
  }
}
