/**
 * A bound on the resolution work of one apply: every file-tree call resolves its path from
 * the root, so the work is counted as the path components of every call the applier makes.
 * A small tar of deep names (1,000 entries of depth 2,000 gzip to 18 KB) would otherwise buy
 * billions of component lookups; past the bound the call fails with `LimitExceeded` (the
 * applier names the entry).
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import type { Bytes, CreateOptions, FileTree, FileTreeNow, WriteOptions } from '../fs.js'

export const RESOLUTION_WORK = 'resolution work (path components looked up)'

/** Which arguments of each call are paths the tree resolves (a symlink's target is not). */
const PATH_ARGS: { readonly [K in Exclude<keyof FileTree, 'readOnly' | 'now'>]: readonly number[] } = {
  lstat: [0],
  readdir: [0],
  readlink: [0],
  read: [0],
  writeFile: [0],
  mkdir: [0],
  symlink: [1],
  link: [0, 1],
  mknod: [0],
  unlink: [0],
  rmdir: [0],
  rename: [0, 1],
  chmod: [0],
  chown: [0],
  utimes: [0],
  listXattrs: [0],
  getXattr: [0],
  setXattr: [0],
  removeXattr: [0],
}

const components = (p: string): number => {
  let n = 1
  for (let i = 0; i < p.length; i++) if (p.charCodeAt(i) === 0x2f) n++
  return n
}

/** `tree` with every call charged to a budget of `max` path components. */
export const meteredTree = (tree: FileTree, max: number): FileTree => {
  let used = 0
  const limit = err('LimitExceeded', { what: RESOLUTION_WORK, limit: max, entry: '' })
  const over: TaskEither<StorageError, never> = async () => ({ _tag: 'Left', left: limit })
  const out: Record<string, unknown> = { readOnly: tree.readOnly }
  for (const [name, args] of Object.entries(PATH_ARGS)) {
    const call = (tree as unknown as Record<string, (...a: unknown[]) => TaskEither<StorageError, unknown>>)[
      name
    ]!.bind(tree)
    out[name] = (...a: unknown[]) => {
      for (const i of args) used += components(String(a[i]))
      return used > max ? over : call(...a)
    }
  }
  const now = tree.now
  if (now !== undefined) {
    /** charges a call on `path`: false when past the bound */
    const charge = (path: string): boolean => (used += components(path)) <= max
    const metered: FileTreeNow = {
      lstat: (p) => (charge(p) ? now.lstat(p) : E.left(limit)),
      mkdir: (p, o) => (charge(p) ? now.mkdir(p, o) : E.left(limit)),
      writeFile: (p, c, o) => (charge(p) ? now.writeFile(p, c, o) : E.left(limit)),
      symlink: (t, p, o) => (charge(p) ? now.symlink(t, p, o) : E.left(limit)),
      ...(now.writeLater === undefined || now.mkdirLater === undefined || now.settle === undefined
        ? {}
        : {
            writeLater: (p: string, c: Bytes, o: WriteOptions, label: string) =>
              charge(p) ? now.writeLater!(p, c, o, label) : E.left(limit),
            mkdirLater: (p: string, o: CreateOptions, label: string) =>
              charge(p) ? now.mkdirLater!(p, o, label) : E.left(limit),
            settle: now.settle.bind(now),
          }),
    }
    out.now = metered
  }
  return out as unknown as FileTree
}
