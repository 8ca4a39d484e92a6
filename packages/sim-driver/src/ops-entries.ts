/**
 * File-tree operations that create, remove or move directory entries, as pure functions
 * from one object set to the next (errno-style `Io` errors, paths as the caller gave them).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { ioError, nameByteLength, type CreateOptions, type StorageError, type WriteOptions } from '@stratum/core'
import { addEntry, dropLink, isAncestorOrSelf, newNode, removeEntry } from './edit.js'
import { dropObj, mustObj, putObj, type Alloc, type ObjSet, type Znode } from './objset.js'
import { locate, locateExisting } from './resolve.js'
import { bytesOf } from './lazy.js'

export type Step = E.Either<StorageError, ObjSet>

const perm = (mode: number): number => mode & 0o7777
/** What a new entry gets from its create options: the mode given or `mode`, root's uid, the directory's gid, now. */
const created = (opts: CreateOptions, mode: number, gid: number, alloc: Alloc) => ({
  mode: perm(opts.mode ?? mode),
  uid: opts.uid ?? 0,
  gid: opts.gid ?? gid,
  mtimeMs: opts.mtimeMs ?? alloc.now(),
})

/** Creates a new entry at `path` (EEXIST when it exists) holding the object `make` builds. */
/** `make` gets the default group of the new entry: the directory's in a setgid directory (as Linux and ZFS), else 0 */
const creating = (
  os: ObjSet,
  path: string,
  alloc: Alloc,
  make: (parentObj: number, name: string, gid: number) => Znode,
): Step =>
  pipe(
    locate(os, path),
    E.flatMap((l) => (l.parent === null || l.node !== undefined ? E.left(ioError('EEXIST', path)) : E.right(l))),
    E.map((l) => {
      const z = make(l.parent!.obj, l.name, (l.parent!.mode & 0o2000) !== 0 ? l.parent!.gid : 0)
      return addEntry(putObj(os, z), l.parent!.obj, l.name, z, alloc)
    }),
  )

const concat = (a: Uint8Array, b: Uint8Array): Uint8Array => {
  const out = new Uint8Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

/** writeFile with the create / truncate / append flags; `bytes` is owned by the object set from now on. */
export const writeFile = (os: ObjSet, path: string, bytes: Uint8Array, opts: WriteOptions, alloc: Alloc): Step => {
  const flag = opts.flag ?? 'create'
  return pipe(
    locate(os, path),
    E.flatMap((l): Step => {
      const node = l.node
      if (node === undefined) {
        return creating(os, path, alloc, (parent, name, gid) =>
          newNode(alloc, parent, name, {
            type: 'F',
            ...created(opts, 0o644, gid, alloc),
            content: bytes,
            size: bytes.length,
          }),
        )
      }
      if (flag === 'create') return E.left(ioError('EEXIST', path))
      if (node.type === '/') return E.left(ioError('EISDIR', path))
      if (node.type === '@') return E.left(ioError('ELOOP', path))
      if (node.type !== 'F') return E.left(ioError('EINVAL', path, 'not a regular file'))
      // appending nothing writes nothing (zfs_write returns early for an empty write): mtime and object unchanged
      const noMeta =
        opts.mode === undefined && opts.uid === undefined && opts.gid === undefined && opts.mtimeMs === undefined
      if (flag === 'append' && bytes.length === 0 && noMeta) return E.right(os)
      const content = flag === 'append' && node.content !== null ? concat(bytesOf(node.content), bytes) : bytes
      return E.right(
        putObj(os, {
          ...node,
          content,
          size: content.length,
          mtimeMs: opts.mtimeMs ?? alloc.now(),
          mode: opts.mode === undefined ? node.mode : perm(opts.mode),
          uid: opts.uid ?? node.uid,
          gid: opts.gid ?? node.gid,
        }),
      )
    }),
  )
}

export const mkdir = (os: ObjSet, path: string, opts: CreateOptions, alloc: Alloc): Step =>
  creating(os, path, alloc, (parent, name, gid) =>
    newNode(alloc, parent, name, {
      type: '/',
      ...created(opts, 0o755, gid, alloc),
      nlink: 2,
      size: 2,
      entries: { root: null, size: 0 },
    }),
  )

export const symlink = (
  os: ObjSet,
  target: string,
  path: string,
  opts: Omit<CreateOptions, 'mode'>,
  alloc: Alloc,
): Step =>
  target.includes('\0')
    ? E.left(ioError('EINVAL', path, 'NUL in symlink target'))
    : creating(os, path, alloc, (parent, name, gid) =>
        newNode(alloc, parent, name, {
          type: '@',
          ...created({ ...opts, mode: 0o777 }, 0o777, gid, alloc),
          target,
          size: nameByteLength(target),
        }),
      )

export const mknod = (
  os: ObjSet,
  path: string,
  type: '|' | 'B' | 'C' | '=',
  opts: CreateOptions & { readonly rdev?: number },
  alloc: Alloc,
): Step =>
  creating(os, path, alloc, (parent, name, gid) =>
    newNode(alloc, parent, name, {
      type,
      ...created(opts, 0o644, gid, alloc),
      rdev: type === 'B' || type === 'C' ? (opts.rdev ?? 0) : 0,
    }),
  )

/**
 * Hard link: `path` becomes another name of the object at `existing` (not followed). As
 * linkat(2): the source must exist, then the new name is looked up (EEXIST, ENOENT), and only
 * then is a directory source refused (EPERM).
 */
export const link = (os: ObjSet, existing: string, path: string, alloc: Alloc): Step =>
  pipe(
    locateExisting(os, existing),
    E.flatMap((src) =>
      pipe(
        locate(os, path),
        E.flatMap((l) => (l.parent === null || l.node !== undefined ? E.left(ioError('EEXIST', path)) : E.right(l))),
        E.flatMap((l) =>
          src.node.type === '/' ? E.left(ioError('EPERM', existing, 'hard link to a directory')) : E.right(l),
        ),
        E.map((l) => {
          // zfs_link_create points the object's parent at the directory of its newest link
          const linked = { ...src.node, nlink: src.node.nlink + 1, parent: l.parent!.obj, name: l.name }
          return addEntry(putObj(os, linked), l.parent!.obj, l.name, linked, alloc)
        }),
      ),
    ),
  )

export const unlink = (os: ObjSet, path: string, alloc: Alloc): Step =>
  pipe(
    locateExisting(os, path),
    E.flatMap((l) => (l.parent === null || l.node.type === '/' ? E.left(ioError('EISDIR', path)) : E.right(l))),
    E.map((l) => dropLink(removeEntry(os, l.parent!.obj, l.name, l.node, alloc), l.node.obj)),
  )

export const rmdir = (os: ObjSet, path: string, alloc: Alloc): Step =>
  pipe(
    locateExisting(os, path),
    E.flatMap((l): Step => {
      if (l.parent === null) return E.left(ioError('EINVAL', path, 'cannot remove the root'))
      if (l.node.type !== '/') return E.left(ioError('ENOTDIR', path))
      if ((l.node.entries?.size ?? 0) > 0) return E.left(ioError('ENOTEMPTY', path))
      return E.right(dropObj(removeEntry(os, l.parent.obj, l.name, l.node, alloc), l.node.obj))
    }),
  )

/**
 * rename(2): replaces a non-directory or an empty directory; EINVAL moving a directory under
 * itself, ENOTEMPTY onto an ancestor of the source (both checked before the type checks).
 */
export const rename = (os: ObjSet, from: string, to: string, alloc: Alloc): Step =>
  pipe(
    // as renameat(2): both parent walks before the source's own lookup (ENOTDIR on `to` beats ENOENT on `from`)
    locate(os, from),
    E.flatMap((src) =>
      pipe(
        locate(os, to),
        E.map((dst) => ({ src, dst })),
      ),
    ),
    E.flatMap(({ src, dst }): Step => {
      if (src.parent === null) return E.left(ioError('EINVAL', from, 'cannot rename the root'))
      const node = src.node
      if (node === undefined) return E.left(ioError('ENOENT', from))
      const isDir = node.type === '/'
      if (dst.parent === null) return E.left(ioError(isDir ? 'EINVAL' : 'EISDIR', to))
      if (isDir && isAncestorOrSelf(os, node.obj, dst.parent.obj)) {
        return E.left(ioError('EINVAL', to, 'cannot move a directory under itself'))
      }
      const old = dst.node
      if (old !== undefined && old.type === '/' && isAncestorOrSelf(os, old.obj, src.parent.obj)) {
        return E.left(ioError('ENOTEMPTY', to, 'the target is an ancestor of the source'))
      }
      let next = os
      if (old !== undefined) {
        if (old.obj === node.obj) return E.right(os)
        if (isDir && old.type !== '/') return E.left(ioError('ENOTDIR', to))
        if (!isDir && old.type === '/') return E.left(ioError('EISDIR', to))
        if (old.type === '/' && (old.entries?.size ?? 0) > 0) return E.left(ioError('ENOTEMPTY', to))
        next = dropLink(removeEntry(next, dst.parent.obj, dst.name, old, alloc), old.obj)
      }
      next = removeEntry(next, src.parent.obj, src.name, node, alloc)
      const moved = { ...mustObj(next, node.obj), parent: dst.parent.obj, name: dst.name }
      return E.right(addEntry(putObj(next, moved), dst.parent.obj, dst.name, moved, alloc))
    }),
  )
