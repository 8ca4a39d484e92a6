/**
 * Confined path resolution, as Linux openat2(RESOLVE_IN_ROOT): every component but the
 * last is resolved inside the root, component by component with lstat; a symlink met on the
 * way is followed with its target re-rooted (an absolute target starts again at the root,
 * '..' at the root stays there); more than 40 symlinks is ELOOP. The final component is
 * never followed: callers act on it with no-follow calls.
 *
 * Node has no openat, so the result is a host path whose directories were checked to be
 * real directories inside the root at the time of the walk. A concurrent writer inside the
 * tree could swap a checked directory for a symlink before the final call; Stratum only
 * writes into datasets it alone uses (tmp clones) and reads from snapshots, which cannot change.
 */
import { lstat, readlink } from 'node:fs/promises'
import { fail } from './errno.js'

export const MAX_SYMLINKS = 40

export interface ResolveOptions {
  /** names refused directly under the root (ZFS's `.zfs` control directory) */
  readonly reservedRootNames: readonly string[]
}

/** Where a FileTree path leads. */
export type Located =
  /** the entry `name` inside the real directory `dir` (both host paths); the entry may not exist */
  | { readonly kind: 'entry'; readonly dir: string; readonly name: string; readonly host: string }
  /** a directory with no name of its own to act on: the root, or a path ending in '..' */
  | { readonly kind: 'dir'; readonly host: string }

export const components = (path: string): string[] => path.split('/').filter((c) => c !== '' && c !== '.')

const hostOf = (root: string, stack: readonly string[]): string => (stack.length === 0 ? root : `${root}/${stack.join('/')}`)

const checkReserved = (stack: readonly string[], c: string, opts: ResolveOptions): void => {
  if (stack.length === 0 && opts.reservedRootNames.includes(c)) fail('EPERM', `'${c}' at the root is reserved`)
}

/** Resolves directory components, following every symlink inside the root; returns the real components. */
export const walkDirs = async (root: string, comps: readonly string[], opts: ResolveOptions): Promise<string[]> => {
  const stack: string[] = []
  const queue = [...comps]
  let links = 0
  while (queue.length > 0) {
    const c = queue.shift()!
    if (c === '' || c === '.') continue
    if (c === '..') {
      stack.pop()
      continue
    }
    checkReserved(stack, c, opts)
    const host = `${hostOf(root, stack)}/${c}`
    const st = await lstat(host)
    if (st.isSymbolicLink()) {
      if (++links > MAX_SYMLINKS) fail('ELOOP', 'too many levels of symbolic links')
      const target = await readlink(host)
      if (target === '') fail('ENOENT', 'empty symlink target')
      if (target.startsWith('/')) stack.length = 0
      queue.unshift(...target.split('/'))
      continue
    }
    if (!st.isDirectory()) fail('ENOTDIR', `'${c}' is not a directory`)
    stack.push(c)
  }
  return stack
}

export const locate = async (root: string, path: string, opts: ResolveOptions): Promise<Located> => {
  const comps = components(path)
  const last = comps[comps.length - 1]
  if (last === undefined) return { kind: 'dir', host: root }
  if (last === '..') return { kind: 'dir', host: hostOf(root, await walkDirs(root, comps, opts)) }
  const stack = await walkDirs(root, comps.slice(0, -1), opts)
  checkReserved(stack, last, opts)
  const dir = hostOf(root, stack)
  return { kind: 'entry', dir, name: last, host: `${dir}/${last}` }
}
