/**
 * File-tree operations on one object's attributes and contents: metadata changes (each a
 * new znode, like a ctime change) and the read-only queries.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { ioError, type Stat, type StorageError } from '@stratum/core'
import { compareBytes as byteOrder } from '@stratum/core/internal'
import * as H from './hamt.js'
import { bytesOf } from './lazy.js'
import { putObj, type ObjSet, type Znode } from './objset.js'
import { locateExisting } from './resolve.js'
import type { Step } from './ops-entries.js'

const setattr = (os: ObjSet, path: string, f: (z: Znode) => E.Either<StorageError, Znode>): Step =>
  pipe(
    locateExisting(os, path),
    E.flatMap((l) => f(l.node)),
    E.map((z) => putObj(os, z)),
  )

/** chmod of a symlink changes nothing, as on Linux (symlinks have no mode of their own: always 0777). */
export const chmod = (os: ObjSet, path: string, mode: number): Step =>
  pipe(
    locateExisting(os, path),
    E.map((l) => (l.node.type === '@' ? os : putObj(os, { ...l.node, mode: mode & 0o7777 }))),
  )

/**
 * chown of a non-directory clears setuid, and setgid when group-execute is set (Linux's
 * notify_change, also for root and also when the owner does not change).
 */
export const chown = (os: ObjSet, path: string, uid: number, gid: number): Step =>
  setattr(os, path, (z) => E.right({ ...z, uid, gid, mode: z.type === '/' ? z.mode : killSetIds(z.mode) }))

const killSetIds = (mode: number): number => ((mode & 0o2010) === 0o2010 ? mode & ~0o6000 : mode & ~0o4000)

export const utimes = (os: ObjSet, path: string, mtimeMs: number): Step =>
  setattr(os, path, (z) => E.right({ ...z, mtimeMs }))

export const setXattr = (os: ObjSet, path: string, name: string, value: Uint8Array): Step =>
  setattr(os, path, (z) => {
    const xattrs = new Map(z.xattrs ?? [])
    xattrs.set(name, Uint8Array.from(value))
    return E.right({ ...z, xattrs })
  })

export const removeXattr = (os: ObjSet, path: string, name: string): Step =>
  setattr(os, path, (z) => {
    if (z.xattrs === null || !z.xattrs.has(name)) return E.left(ioError('ENODATA', path, `no xattr ${name}`))
    const xattrs = new Map(z.xattrs)
    xattrs.delete(name)
    return E.right({ ...z, xattrs: xattrs.size === 0 ? null : xattrs })
  })

export const statOf = (z: Znode): Stat => ({
  type: z.type,
  mode: z.mode,
  uid: z.uid,
  gid: z.gid,
  size: z.size,
  mtimeMs: z.mtimeMs,
  ino: z.obj,
  nlink: z.nlink,
  rdev: z.rdev,
})

/** The order of the names' bytes (byte-names.ts), escaped bytes included. */

export const lstat = (os: ObjSet, path: string): E.Either<StorageError, Stat> =>
  pipe(
    locateExisting(os, path),
    E.map((l) => statOf(l.node)),
  )

export const readdir = (os: ObjSet, path: string): E.Either<StorageError, readonly string[]> =>
  pipe(
    locateExisting(os, path),
    E.flatMap((l) =>
      l.node.type === '/' && l.node.entries !== null
        ? E.right([...H.entries(l.node.entries)].map(([n]) => n).sort(byteOrder))
        : E.left(ioError('ENOTDIR', path)),
    ),
  )

export const readlink = (os: ObjSet, path: string): E.Either<StorageError, string> =>
  pipe(
    locateExisting(os, path),
    E.flatMap((l) =>
      l.node.type === '@' ? E.right(l.node.target ?? '') : E.left(ioError('EINVAL', path, 'not a symlink')),
    ),
  )

/** The bytes of a regular file (shared: callers copy before handing them out). */
export const contentOf = (os: ObjSet, path: string): E.Either<StorageError, Uint8Array> =>
  pipe(
    locateExisting(os, path),
    E.flatMap((l) => {
      switch (l.node.type) {
        case 'F':
          return E.right(bytesOf(l.node.content))
        case '/':
          return E.left(ioError('EISDIR', path))
        case '@':
          return E.left(ioError('ELOOP', path))
        default:
          return E.left(ioError('EINVAL', path, 'not a regular file'))
      }
    }),
  )

export const listXattrs = (os: ObjSet, path: string): E.Either<StorageError, readonly string[]> =>
  pipe(
    locateExisting(os, path),
    E.map((l) => [...(l.node.xattrs?.keys() ?? [])].sort(byteOrder)),
  )

export const getXattr = (os: ObjSet, path: string, name: string): E.Either<StorageError, Uint8Array> =>
  pipe(
    locateExisting(os, path),
    E.flatMap((l) => {
      const v = l.node.xattrs?.get(name)
      return v === undefined ? E.left(ioError('ENODATA', path, `no xattr ${name}`)) : E.right(Uint8Array.from(v))
    }),
  )
