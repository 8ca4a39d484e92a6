/**
 * What the applier remembers while one layer is applied: the paths this layer created
 * (whiteouts hide lower layers only, W2/W6), the directory metadata to set at the end
 * (M3, M6), the running counts for the limits, and the directories already resolved.
 */
import type { Capabilities } from '../driver.js'
import type { FileTree, Stat } from '../fs.js'
import { isUnder, joinPath } from './names.js'
import { lstatOrNone, type Resolved } from './resolve.js'
import { must } from './run.js'

/** Limits on an untrusted layer tar; over one it is `LimitExceeded`. */
export interface ApplyLimits {
  /** tar entries of any kind */
  readonly maxEntries: number
  /** bytes of an entry's name or link target */
  readonly maxPathBytes: number
  /** bytes of one regular file */
  readonly maxFileBytes: number
  /** bytes of all entry data together */
  readonly maxTotalBytes: number
  /** path components looked up by all the file-tree calls of one apply (work-meter.ts) */
  readonly maxResolveSteps: number
}

export interface DirMeta {
  /** the directory's object; undefined while nothing was removed (the path still names the directory recorded) */
  readonly ino: number | undefined
  readonly mode: number
  readonly mtimeMs: number
}

export interface ApplyState {
  readonly tree: FileTree
  readonly capabilities: Capabilities
  readonly limits: ApplyLimits
  /** canonical paths of objects this layer created or replaced */
  readonly layerPaths: Set<string>
  /** proper ancestors of `layerPaths` */
  readonly layerAncestors: Set<string>
  /** directories whose mode and mtime are set after all entries, keyed by canonical path */
  readonly dirMeta: Map<string, DirMeta>
  /** directories as entries name them, resolved: valid until something is removed (only removeTree removes) */
  readonly resolved: Map<string, Resolved>
  /** canonical paths of directories this apply made, until something is removed: all they hold is in `layerPaths` */
  readonly made: Set<string>
  entries: number
  bytes: number
  /** whether this apply removed anything yet */
  removed: boolean
}

export const newState = (tree: FileTree, capabilities: Capabilities, limits: ApplyLimits): ApplyState => ({
  tree,
  capabilities,
  limits,
  layerPaths: new Set(),
  layerAncestors: new Set(),
  dirMeta: new Map(),
  resolved: new Map(),
  made: new Set(),
  entries: 0,
  bytes: 0,
  removed: false,
})

export const markLayer = (s: ApplyState, path: string): void => {
  s.layerPaths.add(path)
  // nearest ancestor first: the set only grows, so once one is in it every one above it is too (O(1) per directory made, not O(depth^2))
  for (let i = path.lastIndexOf('/'); i > 0; i = path.lastIndexOf('/', i - 1)) {
    const a = path.slice(0, i)
    if (s.layerAncestors.has(a)) return
    s.layerAncestors.add(a)
  }
}

const removeRec = async (s: ApplyState, entry: string, path: string, st: Stat): Promise<void> => {
  if (st.type !== '/') return must(s.tree.unlink(path))
  for (const child of await must(s.tree.readdir(path))) {
    const p = joinPath(path, child)
    await removeRec(s, entry, p, await must(s.tree.lstat(p)))
  }
  await must(s.tree.rmdir(path))
}

/** Records directory `path` (just made or kept) for its metadata at the end: its object, once something was removed. */
export const recordDir = async (s: ApplyState, path: string, mode: number, mtimeMs: number): Promise<void> => {
  const ino = s.removed ? (await must(s.tree.lstat(path))).ino : undefined
  s.dirMeta.set(path, { ino, mode, mtimeMs })
}

/** Directory `path` was just made by this apply. */
export const markMade = (s: ApplyState, path: string): void => {
  s.made.add(path)
  markLayer(s, path)
}

/** Whether nothing is at `path` in directory `dir` without asking the tree: this apply made `dir` and put nothing there at that name. */
export const surelyFree = (s: ApplyState, dir: string, path: string): boolean =>
  s.made.has(dir) && !s.layerPaths.has(path)

/**
 * Removes `path` and, for a directory, everything below it, forgetting the directory
 * metadata recorded there (a later symlink at that path must not redirect it).
 */
export const removeTree = async (s: ApplyState, entry: string, path: string): Promise<void> => {
  const st = await lstatOrNone(s.tree, path)
  if (st === undefined) return
  if (!s.removed) {
    // from now on a recorded path may name another object: the directories recorded so far get their object
    for (const [p, meta] of s.dirMeta) s.dirMeta.set(p, { ...meta, ino: (await must(s.tree.lstat(p))).ino })
    s.removed = true
  }
  s.resolved.clear()
  s.made.clear()
  await removeRec(s, entry, path, st)
  if (st.type === '/') for (const p of [...s.dirMeta.keys()]) if (isUnder(p, path)) s.dirMeta.delete(p)
}
