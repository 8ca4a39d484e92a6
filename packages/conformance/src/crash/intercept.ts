/**
 * Wraps every call of a Driver, and of every FileTree it hands out, in `around`: the fault
 * injector and the scheduler of the concurrency groups are both one such function.
 */
import type { Driver, FileTree, StorageError } from '@stratum/core'
import * as TE from 'fp-ts/lib/TaskEither.js'

export const DRIVER_METHODS = [
  'create',
  'snapshot',
  'clone',
  'promote',
  'rename',
  'renameSnapshot',
  'destroy',
  'exists',
  'list',
  'getProperty',
  'setProperty',
  'inheritProperty',
  'getNative',
  'setNative',
  'space',
  'spaceTree',
  'mount',
  'unmount',
  'hostPath',
  'diff',
] as const

export const TREE_METHODS = [
  'lstat',
  'readdir',
  'readlink',
  'read',
  'writeFile',
  'mkdir',
  'symlink',
  'link',
  'mknod',
  'unlink',
  'rmdir',
  'rename',
  'chmod',
  'chown',
  'utimes',
  'listXattrs',
  'getXattr',
  'setXattr',
  'removeXattr',
] as const

// the compiler checks that the two lists name every method: a new one fails here, by name, until it is listed;
// a wrapped tree offers no `now` (its synchronous calls), so every call goes through `around`
type Unlisted<T, Listed> = Exclude<keyof T, Listed>
type UnlistedDriver = Unlisted<Driver, (typeof DRIVER_METHODS)[number] | 'capabilities' | 'fs'>
type UnlistedTree = Unlisted<FileTree, (typeof TREE_METHODS)[number] | 'readOnly' | 'now'>
const everyMethodListed: [UnlistedDriver | UnlistedTree] extends [never] ? true : UnlistedDriver | UnlistedTree = true
void everyMethodListed

/** `what` names the call (`destroy testpool/x`, `fs testpool/x: mkdir etc`); `run` is the real call. */
export type Around = <A>(what: string, run: TE.TaskEither<StorageError, A>) => TE.TaskEither<StorageError, A>

type AnyTE = (...args: unknown[]) => TE.TaskEither<StorageError, unknown>

export const interceptDriver = (inner: Driver, around: Around): Driver => {
  const wrapTree = (name: string, tree: FileTree): FileTree => {
    const out: Record<string, unknown> = { readOnly: tree.readOnly }
    for (const m of TREE_METHODS) {
      const f = (tree[m] as AnyTE).bind(tree)
      out[m] = (...args: unknown[]) => around(`fs ${name}: ${m} ${String(args[0])}`, f(...args))
    }
    return out as unknown as FileTree
  }
  const wrapped: Record<string, unknown> = { capabilities: inner.capabilities }
  for (const m of DRIVER_METHODS) {
    const f = (inner[m] as AnyTE).bind(inner)
    wrapped[m] = (...args: unknown[]) => around(`${m} ${String(args[0])}`, f(...args))
  }
  wrapped['fs'] = (...args: unknown[]) => {
    const name = String(args[0])
    return around(`fs ${name}`, TE.map((t: FileTree) => wrapTree(name, t))(inner.fs(args[0] as never)))
  }
  return wrapped as unknown as Driver
}
