/**
 * Root-confined path resolution, like Linux openat2(RESOLVE_IN_ROOT): every component but
 * the last is resolved inside the root, symlinks met on the way are followed with their
 * target re-rooted ('/' restarts at the root, '..' at the root stays there), more than 40
 * symlinks is ELOOP. The final component is never followed.
 */
import * as E from 'fp-ts/lib/Either.js'
import { ioError, type StorageError } from '@stratum/core'
import * as H from './hamt.js'
import { lookup, lookupsOf } from './lookups.js'
import { getObj, mustObj, rootOf, type ObjSet, type Znode } from './objset.js'

export const MAX_SYMLINKS = 40

/** Path components, without empty and '.' ones ('..' is kept). */
export const splitPath = (p: string): string[] => {
  const out: string[] = []
  let start = 0
  for (let i = 0; i <= p.length; i++) {
    if (i < p.length && p.charCodeAt(i) !== 0x2f) continue
    if (i > start && !(i === start + 1 && p.charCodeAt(start) === 0x2e)) out.push(p.slice(start, i))
    start = i + 1
  }
  return out
}

/**
 * A resolved final component: `parent` is the directory holding it (null when the path names
 * the root), `name` its entry name, `node` the object (undefined when the entry is missing).
 */
export interface Located {
  readonly parent: Znode | null
  readonly name: string
  readonly node: Znode | undefined
}

/**
 * The directory named by `comps[0..end)`, every component followed (symlinks re-rooted). One
 * step per component, O(depth): the components are read in place, and only a symlink's
 * target goes through a stack of pending components.
 */
export const resolveDir = (
  os: ObjSet,
  comps: readonly string[],
  path: string,
  end = comps.length,
): E.Either<StorageError, Znode> => {
  const root = rootOf(os)
  const known = lookupsOf(os)
  const pending: string[] = []
  let i = 0
  // the directory reached: its number and znode (whose fields are read only on a lookup's miss)
  let curObj = root.obj
  let cur = root
  let links = 0
  while (pending.length > 0 || i < end) {
    const c = pending.length > 0 ? pending.pop()! : comps[i++]!
    if (c === '..') {
      if (curObj !== root.obj) cur = mustObj(os, cur.parent)
      curObj = cur.obj
      continue
    }
    const child = lookup(os, known, curObj, cur, c)
    if (child === undefined) return E.left(ioError('ENOENT', path))
    if (child.type === '@') {
      if (++links > MAX_SYMLINKS) return E.left(ioError('ELOOP', path))
      const target = child.node.target ?? ''
      if (target === '') return E.left(ioError('ENOENT', path))
      if (target.startsWith('/')) {
        curObj = root.obj
        cur = root
      }
      const t = splitPath(target)
      for (let k = t.length - 1; k >= 0; k--) pending.push(t[k]!)
      continue
    }
    // a component that is not a directory: ENOTDIR, whatever follows
    if (child.type !== '/') return E.left(ioError('ENOTDIR', path))
    curObj = child.obj
    cur = child.node
  }
  return E.right(cur)
}

/** Resolves every component but the last, then looks the last one up without following it. */
export const locate = (os: ObjSet, path: string): E.Either<StorageError, Located> => {
  if (path.includes('\0')) return E.left(ioError('EINVAL', path, 'NUL in path'))
  const comps = splitPath(path)
  const root = rootOf(os)
  if (comps.length === 0) return E.right({ parent: null, name: '', node: root })
  const last = comps[comps.length - 1]!
  if (last === '..') {
    // `a/..` names a directory; report it at its real place (directories have one name).
    return E.map((d: Znode): Located => {
      const up = d.obj === root.obj ? root : mustObj(os, d.parent)
      if (up.obj === root.obj) return { parent: null, name: '', node: root }
      return { parent: mustObj(os, up.parent), name: up.name, node: up }
    })(resolveDir(os, comps, path, comps.length - 1))
  }
  return E.map((dir: Znode): Located => {
    const obj = H.get(dir.entries!, last)
    return { parent: dir, name: last, node: obj === undefined ? undefined : getObj(os, obj) }
  })(resolveDir(os, comps, path, comps.length - 1))
}

/** `locate`, requiring the entry to exist (ENOENT). */
export const locateExisting = (os: ObjSet, path: string): E.Either<StorageError, Located & { readonly node: Znode }> =>
  E.flatMap((l: Located) =>
    l.node === undefined ? E.left(ioError('ENOENT', path)) : E.right(l as Located & { readonly node: Znode }),
  )(locate(os, path))
