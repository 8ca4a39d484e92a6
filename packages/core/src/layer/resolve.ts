/**
 * Confined resolution of an entry's parent directories, done by the applier itself so that
 * it knows the canonical (symlink-free) path it is about to change. The rules are
 * openat2(RESOLVE_IN_ROOT)'s: a symlink met on the way is followed with its target
 * re-rooted ('..' at the root stays there, an absolute target starts again at the root),
 * more than 40 symlinks is a loop. The FileTree confines every call again on its own.
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type StorageError } from '../errors.js'
import type { FileTree, Stat } from '../fs.js'
import { attempt, fail, must } from './run.js'

export const MAX_SYMLINKS = 40

/** Re-labels a file-tree error with the tar entry it happened for (U5). */
export const forEntry = (entry: string, e: StorageError): StorageError =>
  e._tag === 'Io' ? { ...e, path: entry, message: `${e.message} at '${e.path}'` } : e

/** lstat that maps a missing entry to undefined; other failures abort, naming the entry. */
export const lstatOrNone = async (tree: FileTree, path: string): Promise<Stat | undefined> => {
  const r = await attempt(tree.lstat(path))
  if (E.isRight(r)) return r.right
  if (r.left._tag === 'Io' && (r.left.code === 'ENOENT' || r.left.code === 'ENOTDIR')) return undefined
  return fail(r.left)
}

export interface ResolveOptions {
  /** what to do with a missing component: create it as a directory, or stop */
  readonly missing: 'create' | 'stop'
  /** a symlinked component: follow it (clamped) or refuse the entry */
  readonly symlinks: 'follow' | 'refuse'
  /** told about each directory created */
  readonly onCreate?: (path: string) => void
}

/** A directory as named, resolved: its canonical path and the symlinks followed on the way. */
export interface Resolved {
  readonly canonical: string
  readonly links: number
}

/** The nearest ancestor of `dir` (or `dir` itself) in `known`, reached through no symlink if `plain`, its name there, and the components of `dir` below it. */
const startFrom = (
  dir: string,
  known: ReadonlyMap<string, Resolved> | undefined,
  plain: boolean,
): [Resolved, string, string] => {
  if (known !== undefined)
    for (let i = dir.length; i > 0; i = dir.lastIndexOf('/', i - 1)) {
      const name = i === dir.length ? dir : dir.slice(0, i)
      const r = known.get(name)
      if (r !== undefined && (!plain || r.links === 0)) return [r, dir.slice(i + 1), name]
    }
  return [{ canonical: '', links: 0 }, dir, '']
}

/** The canonical path of directory `dir` when `known` holds it exactly (the common case: a sibling of the last entry). */
export const knownDir = (dir: string, known: ReadonlyMap<string, Resolved>): string | undefined =>
  dir === '' ? '' : known.get(dir)?.canonical

/**
 * The canonical path of directory `dir` (root-relative, '' for the root). When a component
 * is missing or not a directory: undefined if `missing` is 'stop' (nothing there to find);
 * with 'create', a missing one is made and one that is not a directory refuses the entry (N9).
 * With `known` (normalized names of directories resolved on the same tree since, and nothing
 * removed), the walk starts at the nearest one of them, as if it had walked there again.
 */
export const resolveDir = async (
  tree: FileTree,
  entry: string,
  dir: string,
  opts: ResolveOptions,
  known?: Map<string, Resolved>,
): Promise<string | undefined> => {
  const [start, rest, startName] = startFrom(dir, known, opts.symlinks === 'refuse')
  if (rest === '' && known !== undefined) return start.canonical
  const stack: string[] = start.canonical === '' ? [] : start.canonical.split('/')
  let here = start.canonical
  const pending = rest.split('/').filter((c) => c !== '')
  const total = pending.length
  // the components of `dir` itself are the last `left` of `pending` (a symlink's target goes before them)
  let left = total
  let named = startName
  let links = start.links
  while (pending.length > 0) {
    if (pending.length === left) {
      // the component of `dir` before this one is resolved: its name is known from now on
      if (left < total) known?.set(named, { canonical: here, links })
      named = named === '' ? pending[0]! : `${named}/${pending[0]!}`
      left--
    }
    const c = pending.shift()!
    if (c === '.') continue
    if (c === '..') {
      stack.pop()
      here = stack.join('/')
      continue
    }
    const p = here === '' ? c : `${here}/${c}`
    const st = await lstatOrNone(tree, p)
    if (st === undefined) {
      if (opts.missing === 'stop') return undefined
      await must(tree.mkdir(p, { mode: 0o755 }))
      opts.onCreate?.(p)
      stack.push(c)
      here = p
    } else if (st.type === '/') {
      stack.push(c)
      here = p
    } else if (st.type === '@') {
      if (opts.symlinks === 'refuse') return fail(err('UnsafePath', { entry, reason: `parent '${p}' is a symlink` }))
      if (++links > MAX_SYMLINKS)
        return fail(err('UnsafePath', { entry, reason: `too many levels of symlinks at '${p}'` }))
      const target = await must(tree.readlink(p))
      if (target.startsWith('/')) {
        stack.length = 0
        here = ''
      }
      pending.unshift(...target.split('/').filter((x) => x !== ''))
    } else {
      if (opts.missing === 'stop') return undefined
      return fail(err('UnsafePath', { entry, reason: `parent '${p}' is not a directory` }))
    }
  }
  known?.set(dir, { canonical: here, links })
  return here
}
