/**
 * Confined path resolution, as Linux openat2(RESOLVE_IN_ROOT): every component but the
 * last is resolved inside the root, component by component with lstat; a symlink met on the
 * way is followed with its target re-rooted (an absolute target starts again at the root,
 * '..' at the root stays there); more than 40 symlinks is ELOOP. The final component is
 * never followed: callers act on it with no-follow calls.
 *
 * Node has no openat. On Linux every directory of the walk is opened (O_PATH|O_NOFOLLOW) and
 * the next component is looked up through `/proc/<pid>/fd/<n>/<name>`, so the directory a
 * call finally acts in is pinned by a descriptor: a concurrent writer swapping a checked
 * directory for a symlink cannot redirect it (the runc lesson). Elsewhere (no /proc) the
 * walk yields a checked host path, which such a writer could race; Stratum only writes into
 * datasets it alone uses and reads from snapshots, which cannot change.
 *
 * The walk uses synchronous calls: each is one short syscall on a local file system, and a
 * path of n components costs 3n of them; through libuv's thread pool each would cost a
 * round trip, which made a 445-component path (LAYER-SECURITY N6) take minutes under emulation.
 */
import { closeSync, constants, existsSync, lstatSync, openSync, readlinkSync } from 'node:fs'
import { fail } from './errno.js'

export const MAX_SYMLINKS = 40

export interface ResolveOptions {
  /** names refused directly under the root (ZFS's `.zfs` control directory) */
  readonly reservedRootNames: readonly string[]
}

/** Where a FileTree path leads; `release` closes the pinned directory (call it when done). */
export type Located = (
  /** the entry `name` inside directory `dir` (paths usable with Node's calls); the entry may not exist */
  | { readonly kind: 'entry'; readonly dir: string; readonly name: string; readonly host: string }
  /** a directory with no name of its own to act on: the root, or a path ending in '..'; `host` ends in '/.' */
  | { readonly kind: 'dir'; readonly host: string; readonly isRoot: boolean }
) & { readonly release: () => Promise<void> }

export const components = (path: string): string[] => path.split('/').filter((c) => c !== '' && c !== '.')

const O_PATH = 0o10000000 // Linux (x86, arm, riscv): open without reading, the descriptor only names the object
const PIN_FLAGS = O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW

/** A directory reached by the walk: its components below the root, and its descriptor when pinned. */
interface Dir { readonly comps: readonly string[]; readonly fd: number | undefined }

export interface Resolver {
  locate(path: string): Promise<Located>
}

export const makeResolver = (root: string, opts: ResolveOptions, pin = canPin()): Resolver => {
  const pathOf = (d: Dir): string =>
    d.fd !== undefined ? `/proc/${process.pid}/fd/${d.fd}` : d.comps.length === 0 ? root : `${root}/${d.comps.join('/')}`

  const checkReserved = (d: Dir, c: string): void => {
    if (d.comps.length === 0 && opts.reservedRootNames.includes(c)) fail('EPERM', `'${c}' at the root is reserved`)
  }

  const closeAll = (ds: readonly Dir[]): void => {
    for (const d of ds) {
      if (d.fd === undefined) continue
      try { closeSync(d.fd) } catch { /* already closed */ }
    }
  }

  /** Resolves directory components, following every symlink inside the root; the last Dir is the result. */
  const walk = (comps: readonly string[]): Dir => {
    // '<root>/.' walks into the root, so an automounted one (a snapshot's directory) is mounted before it is pinned
    const stack: Dir[] = [{ comps: [], fd: pin ? openSync(`${root}/.`, O_PATH | constants.O_DIRECTORY) : undefined }]
    try {
      const queue = [...comps]
      let links = 0
      while (queue.length > 0) {
        const c = queue.shift()!
        if (c === '' || c === '.') continue
        const top = stack[stack.length - 1]!
        if (c === '..') {
          if (stack.length > 1) closeAll([stack.pop()!])
          continue
        }
        checkReserved(top, c)
        const at = `${pathOf(top)}/${c}`
        const st = lstatSync(at)
        if (st.isSymbolicLink()) {
          if (++links > MAX_SYMLINKS) fail('ELOOP', 'too many levels of symbolic links')
          const target = readlinkSync(at)
          if (target === '') fail('ENOENT', 'empty symlink target')
          if (target.startsWith('/')) closeAll(stack.splice(1))
          queue.unshift(...target.split('/'))
          continue
        }
        if (!st.isDirectory()) fail('ENOTDIR', `'${c}' is not a directory`)
        // O_NOFOLLOW|O_DIRECTORY: if `c` was swapped for a symlink or a file since the lstat, this fails
        stack.push({ comps: [...top.comps, c], fd: pin ? openSync(at, PIN_FLAGS) : undefined })
      }
      closeAll(stack.slice(0, -1))
      return stack[stack.length - 1]!
    } catch (e) {
      closeAll(stack)
      throw e
    }
  }

  return {
    async locate(path) {
      const comps = components(path)
      const last = comps[comps.length - 1]
      const isDir = last === undefined || last === '..'
      const d = walk(isDir ? comps : comps.slice(0, -1))
      const release = async (): Promise<void> => closeAll([d])
      // '<dir>/.' names the directory itself (a /proc/<pid>/fd/<n> magic link is a symlink to lstat)
      if (isDir) return { kind: 'dir', host: `${pathOf(d)}/.`, isRoot: d.comps.length === 0, release }
      try {
        checkReserved(d, last)
      } catch (e) {
        closeAll([d])
        throw e
      }
      const dir = pathOf(d)
      return { kind: 'entry', dir, name: last, host: `${dir}/${last}`, release }
    },
  }
}

/** Descriptor pinning needs Linux's /proc/<pid>/fd. */
export const canPin = (): boolean => process.platform === 'linux' && existsSync(`/proc/${process.pid}/fd`)
