/**
 * The reference model of one file tree: deliberately naive. A tree is a plain map from path
 * ('' is the root, 'a/b' below it) to an object id, plus the objects themselves. Hard links
 * are two paths with one id. Snapshots and clones deep-copy the whole tree and keep the ids,
 * as ZFS keeps object numbers.
 *
 * Every object carries what `zfs diff` needs: a `version` taken from a global clock whenever
 * its data, metadata, link count or (directory) entries change, and the `parent` pointer ZFS
 * keeps in the znode (set by every link creation: create, link, rename).
 *
 * Operations follow Linux's errno precedence and return the error code, or undefined after
 * mutating the tree. Paths crossing a symlink are outside the model (`crossesSymlink`).
 */
import type { FsCode } from '@stratum/core'

export type MType = 'F' | '/' | '@'

export interface MObj {
  readonly id: number
  readonly type: MType
  mode: number
  uid: number
  gid: number
  /** known modification time, or undefined when the driver chose it ("now") */
  mtime: number | undefined
  data: Uint8Array
  readonly target: string
  nlink: number
  parent: number
  version: number
}

export interface Tree {
  readonly paths: Map<string, number>
  readonly objs: Map<number, MObj>
}

/** One clock for object ids and versions, shared by every tree of a model. */
export interface Clock {
  next: number
}

export const tick = (c: Clock): number => ++c.next

export interface Meta {
  readonly mode?: number
  readonly uid?: number
  readonly gid?: number
  readonly mtimeMs?: number
}

export const emptyTree = (c: Clock): Tree => {
  const id = tick(c)
  const root: MObj = {
    id,
    type: '/',
    mode: 0o755,
    uid: 0,
    gid: 0,
    mtime: undefined,
    data: new Uint8Array(),
    target: '',
    nlink: 2,
    parent: id,
    version: tick(c),
  }
  return { paths: new Map([['', id]]), objs: new Map([[id, root]]) }
}

export const copyTree = (t: Tree): Tree => ({
  paths: new Map(t.paths),
  objs: new Map([...t.objs].map(([id, o]) => [id, { ...o }])),
})

/** 'a//b/./c/' -> 'a/b/c' */
export const normalize = (p: string): string =>
  p
    .split('/')
    .filter((c) => c !== '' && c !== '.')
    .join('/')
export const dirname = (key: string): string => (key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '')
export const basename = (key: string): string => key.slice(key.lastIndexOf('/') + 1)
const isBelow = (key: string, dir: string): boolean => (dir === '' ? key !== '' : key.startsWith(`${dir}/`))

export const objAt = (t: Tree, key: string): MObj | undefined => {
  const id = t.paths.get(key)
  return id === undefined ? undefined : t.objs.get(id)
}

/** Direct entries of directory `key`, sorted. */
export const entries = (t: Tree, key: string): string[] =>
  [...t.paths.keys()]
    .filter((p) => p !== '' && dirname(p) === key)
    .map(basename)
    .sort()

export const pathsOf = (t: Tree, id: number): string[] =>
  [...t.paths]
    .filter(([, i]) => i === id)
    .map(([p]) => p)
    .sort()

/** True when a non-final component of `p` is an existing symlink: the model does not follow symlinks. */
export const crossesSymlink = (t: Tree, p: string): boolean => {
  const comps = normalize(p)
    .split('/')
    .filter((c) => c !== '')
  for (let i = 1; i < comps.length; i++) {
    const o = objAt(t, comps.slice(0, i).join('/'))
    if (o === undefined || o.type !== '/') return o?.type === '@'
  }
  return false
}

type Resolved = { readonly key: string; readonly parent: MObj; readonly obj: MObj | undefined }

/** Resolves every component but the last; ENOENT / ENOTDIR on the way. */
const resolve = (t: Tree, p: string): Resolved | FsCode => {
  const key = normalize(p)
  const comps = key === '' ? [] : key.split('/')
  let dir = objAt(t, '')!
  for (let i = 0; i + 1 < comps.length; i++) {
    const o = objAt(t, comps.slice(0, i + 1).join('/'))
    if (o === undefined) return 'ENOENT'
    if (o.type !== '/') return 'ENOTDIR'
    dir = o
  }
  return { key, parent: key === '' ? dir : dir, obj: objAt(t, key) }
}

const isCode = (r: Resolved | FsCode): r is FsCode => typeof r === 'string'

const touch = (c: Clock, o: MObj): void => {
  o.version = tick(c)
}
/** A directory's entries changed: new version, mtime now. */
const dirChanged = (c: Clock, d: MObj): void => {
  touch(c, d)
  d.mtime = undefined
}

const addObj = (c: Clock, t: Tree, r: Resolved, type: MType, m: Meta, data: Uint8Array, target: string): void => {
  const id = tick(c)
  const defMode = type === 'F' ? 0o644 : type === '/' ? 0o755 : 0o777
  t.objs.set(id, {
    // in a setgid directory a new entry takes the directory's group (Linux, ZFS)
    id,
    type,
    mode: (m.mode ?? defMode) & 0o7777,
    uid: m.uid ?? 0,
    gid: m.gid ?? ((r.parent.mode & 0o2000) !== 0 ? r.parent.gid : 0),
    mtime: m.mtimeMs,
    data,
    target,
    nlink: type === '/' ? 2 : 1,
    parent: r.parent.id,
    version: tick(c),
  })
  t.paths.set(r.key, id)
  if (type === '/') r.parent.nlink++
  dirChanged(c, r.parent)
}

/** Drops one name; the object goes with its last name. */
const dropName = (c: Clock, t: Tree, key: string, o: MObj, parent: MObj): void => {
  t.paths.delete(key)
  if (o.type === '/') {
    t.objs.delete(o.id)
    parent.nlink--
  } else if (--o.nlink === 0) t.objs.delete(o.id)
  else touch(c, o)
  dirChanged(c, parent)
}

export const writeFile = (
  c: Clock,
  t: Tree,
  p: string,
  data: Uint8Array,
  flag: 'create' | 'truncate' | 'append',
  m: Meta,
): FsCode | undefined => {
  const r = resolve(t, p)
  if (isCode(r)) return r
  if (r.obj !== undefined) {
    if (flag === 'create') return 'EEXIST'
    if (r.obj.type === '/') return 'EISDIR'
    if (r.obj.type === '@') return 'ELOOP'
    // appending nothing writes nothing: no change at all (zfs_write returns early)
    if (flag === 'append' && data.length === 0) return undefined
    r.obj.data = flag === 'append' ? new Uint8Array([...r.obj.data, ...data]) : data
    r.obj.mtime = undefined
    touch(c, r.obj)
    return undefined
  }
  addObj(c, t, r, 'F', m, data, '')
  return undefined
}

export const mkdir = (c: Clock, t: Tree, p: string, m: Meta): FsCode | undefined => {
  const r = resolve(t, p)
  if (isCode(r)) return r
  if (r.obj !== undefined) return 'EEXIST'
  addObj(c, t, r, '/', m, new Uint8Array(), '')
  return undefined
}

export const symlink = (c: Clock, t: Tree, target: string, p: string, m: Meta): FsCode | undefined => {
  const r = resolve(t, p)
  if (isCode(r)) return r
  if (r.obj !== undefined) return 'EEXIST'
  addObj(c, t, r, '@', { ...m, mode: 0o777 }, new Uint8Array(), target)
  return undefined
}

export const link = (c: Clock, t: Tree, existing: string, p: string): FsCode | undefined => {
  const src = resolve(t, existing)
  if (isCode(src)) return src
  if (src.obj === undefined) return 'ENOENT'
  const r = resolve(t, p)
  if (isCode(r)) return r
  if (r.obj !== undefined) return 'EEXIST'
  if (src.obj.type === '/') return 'EPERM'
  t.paths.set(r.key, src.obj.id)
  src.obj.nlink++
  src.obj.parent = r.parent.id
  touch(c, src.obj)
  dirChanged(c, r.parent)
  return undefined
}

export const unlink = (c: Clock, t: Tree, p: string): FsCode | undefined => {
  const r = resolve(t, p)
  if (isCode(r)) return r
  if (r.obj === undefined) return 'ENOENT'
  if (r.obj.type === '/') return 'EISDIR'
  dropName(c, t, r.key, r.obj, r.parent)
  return undefined
}

export const rmdir = (c: Clock, t: Tree, p: string): FsCode | undefined => {
  const r = resolve(t, p)
  if (isCode(r)) return r
  if (r.obj === undefined) return 'ENOENT'
  if (r.obj.type !== '/') return 'ENOTDIR'
  if (entries(t, r.key).length > 0) return 'ENOTEMPTY'
  dropName(c, t, r.key, r.obj, r.parent)
  return undefined
}

/** rename(2) with Linux's checks in Linux's order. */
export const rename = (c: Clock, t: Tree, from: string, to: string): FsCode | undefined => {
  const s = resolve(t, from)
  if (isCode(s)) return s
  if (s.obj === undefined) return 'ENOENT'
  const d = resolve(t, to)
  if (isCode(d)) return d
  if (s.key === d.key) return undefined
  if (isBelow(d.key, s.key)) return 'EINVAL'
  if (isBelow(s.key, d.key)) return 'ENOTEMPTY'
  const moved = s.obj
  if (d.obj !== undefined) {
    if (d.obj.id === moved.id) return undefined
    if (moved.type === '/' && d.obj.type !== '/') return 'ENOTDIR'
    if (moved.type !== '/' && d.obj.type === '/') return 'EISDIR'
    if (d.obj.type === '/' && entries(t, d.key).length > 0) return 'ENOTEMPTY'
    dropName(c, t, d.key, d.obj, d.parent)
  }
  const below = [...t.paths].filter(([p]) => isBelow(p, s.key))
  for (const [p] of below) t.paths.delete(p)
  t.paths.delete(s.key)
  t.paths.set(d.key, moved.id)
  for (const [p, id] of below) t.paths.set(d.key + p.slice(s.key.length), id)
  if (moved.type === '/') {
    s.parent.nlink--
    d.parent.nlink++
  }
  moved.parent = d.parent.id
  touch(c, moved)
  dirChanged(c, s.parent)
  dirChanged(c, d.parent)
  return undefined
}

const setMeta = (c: Clock, t: Tree, p: string, f: (o: MObj) => void): FsCode | undefined => {
  const r = resolve(t, p)
  if (isCode(r)) return r
  if (r.obj === undefined) return 'ENOENT'
  f(r.obj)
  touch(c, r.obj)
  return undefined
}

export const chmod = (c: Clock, t: Tree, p: string, mode: number): FsCode | undefined =>
  setMeta(c, t, p, (o) => {
    o.mode = mode & 0o7777
  })
export const chown = (c: Clock, t: Tree, p: string, uid: number, gid: number): FsCode | undefined =>
  // chown of a non-directory clears setuid, and setgid with group-execute (Linux's notify_change, also for root)
  setMeta(c, t, p, (o) => {
    o.uid = uid
    o.gid = gid
    if (o.type !== '/') o.mode &= (o.mode & 0o2010) === 0o2010 ? ~0o6000 : ~0o4000
  })
export const utimes = (c: Clock, t: Tree, p: string, mtimeMs: number): FsCode | undefined =>
  setMeta(c, t, p, (o) => {
    o.mtime = mtimeMs
  })
