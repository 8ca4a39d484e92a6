/**
 * Confined path resolution, as Linux openat2(RESOLVE_IN_ROOT): every component but the
 * last is resolved inside the root; a symlink met on the way is followed with its target
 * re-rooted (an absolute target starts again at the root, '..' at the root stays there); more
 * than 40 symlinks is ELOOP. The final component is never followed: callers act on it with
 * no-follow calls. Each step is O(1): a path of n components costs O(n).
 *
 * Node has no openat. On Linux every directory of the walk is opened (O_PATH|O_NOFOLLOW|
 * O_DIRECTORY) and the next component is looked up through `/proc/<pid>/fd/<n>/<name>`, so
 * the directory a call finally acts in is pinned by a descriptor: a concurrent writer swapping
 * a checked directory for a symlink cannot redirect it (the runc lesson). The descriptors are
 * kept between calls (dir-cache.ts): a walk through directories already opened costs no
 * system call. Elsewhere (no /proc) the walk yields a checked host path, which such a writer
 * could race; Stratum only writes into datasets it alone uses and reads from snapshots.
 *
 * The walk uses synchronous calls: each is one short syscall on a local file system, and
 * through libuv's thread pool each would cost a round trip.
 */
import { constants, existsSync, openSync } from 'node:fs'
import { DirCache, type DirNode, MAX_OPEN } from './dir-cache.js'
import { fail } from './errno.js'
import { fromHost, hostJoin, type HostPath } from './host-names.js'
import { type At, type HostCalls, pathCalls } from './host-calls.js'

export const MAX_SYMLINKS = 40

export interface ResolveOptions {
  /** names refused directly under the root (ZFS's `.zfs` control directory) */
  readonly reservedRootNames: readonly string[]
}

/** Where a FileTree path leads; `release` ends the call's hold on the pinned directory. */
export type Located =
  /** the entry `name` inside directory `dir` (paths usable with Node's calls); the entry may not exist */
  (
    | {
        readonly kind: 'entry'
        readonly dir: HostPath
        readonly name: string
        readonly host: HostPath
        readonly node: DirNode | undefined
      }
    /** a directory with no name of its own to act on: the root, or a path ending in '..'; `host` ends in '/.' */
    | { readonly kind: 'dir'; readonly host: HostPath; readonly isRoot: boolean; readonly node: DirNode | undefined }
  ) & {
    /** where the calls act: the entry, or '.' of the directory */
    readonly at: At
    readonly release: () => Promise<void>
    readonly free: () => void
  }

/**
 * A located path: the call's hold on the pinned directory until `free`; host paths made only
 * when a call goes by path (the *at calls need the descriptor and the name alone).
 */
class Place implements At {
  readonly fd: number | undefined
  private freed = false
  private dirHost: HostPath | undefined
  constructor(
    readonly kind: 'entry' | 'dir',
    readonly name: string,
    readonly isRoot: boolean,
    readonly node: DirNode | undefined,
    dirHost: HostPath | undefined,
    private readonly procOf: (n: DirNode) => string,
    private readonly cache: DirCache | undefined,
  ) {
    this.fd = node?.fd
    this.dirHost = dirHost
  }
  get dir(): HostPath {
    this.dirHost ??= this.procOf(this.node!)
    return this.dirHost
  }
  // '<dir>/.' names the directory itself (a /proc/self/fd/<n> magic link is a symlink to lstat)
  get host(): HostPath {
    return hostJoin(this.dir, this.name)
  }
  get at(): At {
    return this
  }
  free(): void {
    if (this.freed || this.node === undefined) return
    this.freed = true
    this.cache!.release(this.node)
  }
  async release(): Promise<void> {
    this.free()
  }
}

export const components = (path: string): string[] => path.split('/').filter((c) => c !== '' && c !== '.')

const O_PATH = 0o10000000 // Linux (x86, arm, riscv): open without reading, the descriptor only names the object
const PIN_FLAGS = O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW

export interface Resolver {
  locate(path: string): Promise<Located>
  locateSync(path: string): Located
  /** the pinned-directory cache (undefined without pinning) */
  readonly cache: DirCache | undefined
}

const code = (e: unknown): unknown => (e as { code?: unknown } | null)?.code

/** The target of the symlink at `at` as components, pushed (reversed) for the walk; true when it is absolute. */
const followLink = (calls: HostCalls, at: At, pending: string[]): boolean => {
  const target = fromHost(calls.readlink(at))
  if (target === '') fail('ENOENT', 'empty symlink target')
  const comps = target.split('/')
  for (let i = comps.length - 1; i >= 0; i--) pending.push(comps[i]!)
  return target.startsWith('/')
}

export const makeResolver = (
  root: string,
  opts: ResolveOptions,
  pin = canPin(),
  calls: HostCalls = pathCalls,
): Resolver => {
  const reserved = (c: string): boolean => opts.reservedRootNames.includes(c)
  const checkReserved = (atRoot: boolean, c: string): void => {
    if (atRoot && reserved(c)) fail('EPERM', `'${c}' at the root is reserved`)
  }
  // '<root>/.' walks into the root, so an automounted one (a snapshot's directory) is mounted before it is pinned
  const cache = pin ? new DirCache(root, () => openSync(`${root}/.`, O_PATH | constants.O_DIRECTORY)) : undefined
  // /proc/<pid>, not /proc/self: the path also goes to child processes (mknod)
  const procOf = (n: DirNode): string => `/proc/${process.pid}/fd/${n.fd}`

  /** Pinned: the directory node of `comps` (all of them directories to walk), following symlinks; `plain` when none was met, nor '..'. */
  const walkPinned = (c: DirCache, comps: readonly string[]): { node: DirNode; plain: boolean } => {
    const top = c.rootNode()
    const pending: string[] = []
    for (let i = comps.length - 1; i >= 0; i--) pending.push(comps[i]!)
    let cur = top
    let links = 0
    let plain = true
    while (pending.length > 0) {
      const name = pending.pop()!
      if (name === '' || name === '.') continue
      if (name === '..') {
        cur = cur.parent ?? cur
        plain = false
        continue
      }
      checkReserved(cur === top, name)
      const known = cur.children.get(name)
      if (known !== undefined) {
        cur = known
        continue
      }
      const dir = procOf(cur)
      const at: At = { fd: cur.fd, dir, name, host: hostJoin(dir, name) }
      let fd: number
      try {
        // O_NOFOLLOW|O_DIRECTORY: a symlink or a file here fails, and is looked at below
        fd = calls.open(at, PIN_FLAGS, 0)
      } catch (e) {
        if (code(e) !== 'ENOTDIR' && code(e) !== 'ELOOP') throw e
        if (calls.lstat(at)?.stat.type !== '@') fail('ENOTDIR', `'${name}' is not a directory`)
        if (++links > MAX_SYMLINKS) fail('ELOOP', 'too many levels of symbolic links')
        if (followLink(calls, at, pending)) cur = top
        plain = false
        continue
      }
      cur = c.node(cur, name, fd)
    }
    return { node: cur, plain }
  }

  // the directory parts of paths walked with no symlink and no '..', and their nodes: the same
  // text walks to the same node while that node is cached (a change on the way drops it)
  const plainDirs = new Map<string, DirNode>()
  /** The node of `path`'s directory when that text was walked plainly and its last component (after `cut`, its last '/') is a plain name. */
  const knownDir = (c: DirCache, path: string, cut: number): DirNode | undefined => {
    const dir = cut < 0 ? '' : path.slice(0, cut)
    const node = plainDirs.get(dir)
    if (node === undefined) return undefined
    const last = path.slice(cut + 1)
    if (last === '' || last === '.' || last === '..') return undefined
    c.rootNode() // keeps the descriptors from their idle release, as a walk does
    if (!node.detached) return node
    plainDirs.delete(dir)
    return undefined
  }
  const rememberDir = (dir: string, node: DirNode): void => {
    // the cache holds at most MAX_OPEN live nodes; past twice that, most names here are of dropped ones
    if (plainDirs.size >= 2 * MAX_OPEN) plainDirs.clear()
    plainDirs.set(dir, node)
  }

  /** Unpinned: the checked host path of `comps`, following symlinks (racy, see above). */
  const walkPaths = (comps: readonly string[]): { host: HostPath; isRoot: boolean } => {
    const stack: HostPath[] = [root]
    const pending: string[] = []
    for (let i = comps.length - 1; i >= 0; i--) pending.push(comps[i]!)
    let links = 0
    while (pending.length > 0) {
      const name = pending.pop()!
      if (name === '' || name === '.') continue
      if (name === '..') {
        if (stack.length > 1) stack.pop()
        continue
      }
      checkReserved(stack.length === 1, name)
      const dir = stack[stack.length - 1]!
      const at: At = { fd: undefined, dir, name, host: hostJoin(dir, name) }
      const type = (calls.lstat(at) ?? fail('ENOENT', `'${name}' does not exist`)).stat.type
      if (type === '@') {
        if (++links > MAX_SYMLINKS) fail('ELOOP', 'too many levels of symbolic links')
        if (followLink(calls, at, pending)) stack.length = 1
        continue
      }
      if (type !== '/') fail('ENOTDIR', `'${name}' is not a directory`)
      stack.push(at.host)
    }
    return { host: stack[stack.length - 1]!, isRoot: stack.length === 1 }
  }

  const locateSync = (path: string): Located => {
    const cut = path.lastIndexOf('/')
    const fast = cache === undefined ? undefined : knownDir(cache, path, cut)
    const comps = fast === undefined ? components(path) : [path.slice(cut + 1)]
    const last = comps[comps.length - 1]
    const isDir = last === undefined || last === '..'
    let node: DirNode | undefined
    let dirHost: HostPath | undefined
    let isRoot: boolean
    if (fast !== undefined) {
      node = fast
      isRoot = node.parent === undefined
    } else if (cache !== undefined) {
      const walked = walkPinned(cache, isDir ? comps : comps.slice(0, -1))
      node = walked.node
      if (walked.plain && !isDir && path.slice(cut + 1) === last) rememberDir(path.slice(0, Math.max(cut, 0)), node)
      isRoot = node.parent === undefined
    } else {
      ;({ host: dirHost, isRoot } = walkPaths(isDir ? comps : comps.slice(0, -1)))
    }
    checkReserved(isRoot && !isDir, last ?? '')
    if (node !== undefined) cache!.acquire(node)
    return new Place(isDir ? 'dir' : 'entry', isDir ? '.' : last!, isRoot, node, dirHost, procOf, cache) as Located
  }

  return { locate: async (path) => locateSync(path), locateSync, cache }
}

/** Descriptor pinning needs Linux's /proc/self/fd. */
export const canPin = (): boolean => process.platform === 'linux' && existsSync(`/proc/${process.pid}/fd`)
