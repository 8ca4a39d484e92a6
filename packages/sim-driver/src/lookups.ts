/**
 * Directory lookups remembered per object map, as the kernel's dentry cache: (directory,
 * name) -> the entry's object. An object map never changes, so neither does what a lookup in
 * it finds; the cache is keyed by the map's root node and goes with it. A hit costs one hash
 * table probe and reads only the small record it made (allocated in the order of the walk),
 * instead of two HAMT walks (the entry's name, then its object number in a map that grows a
 * level with every 32-fold more objects) and the znodes on the way.
 */
import * as H from './hamt.js'
import { mustObj, type ObjSet, type Znode } from './objset.js'

/** A lookup made: entry `name` of directory `dir` is object `obj`, of `type`, znode `node`. */
export interface Dentry {
  readonly dir: number
  readonly name: string
  readonly obj: number
  readonly type: Znode['type']
  readonly node: Znode
}

/** Lookups by key (directory object and name hash); a hit is checked against its own directory and name. */
export type Lookups = Map<number, Dentry>

const byRoot = new WeakMap<object, Lookups>()

/** The lookups remembered for `os`'s object map, if any. */
export const lookupsOf = (os: ObjSet): Lookups | undefined =>
  os.objects.root === null ? undefined : byRoot.get(os.objects.root)

/**
 * Starts remembering lookups in `os`'s object map. Reads do: a read leaves the map as it is, so
 * the next call meets the same map; a change makes a new one, and the lookups of the old are lost.
 */
export const keepLookups = (os: ObjSet): ObjSet => {
  const root = os.objects.root
  if (root !== null && !byRoot.has(root)) byRoot.set(root, new Map())
  return os
}

/** a small integer (V8 keeps it unboxed); equal (directory, name) pairs have equal keys, others rarely */
export const keyOf = (dir: number, name: string): number => (Math.imul(dir, 0x9e3779b1) ^ H.hashOf(name)) & 0x3fffffff

/** The entry `name` of directory `dir` (object `dirObj`), undefined when there is none; remembered in `l`. */
export const lookup = (
  os: ObjSet,
  l: Lookups | undefined,
  dirObj: number,
  dir: Znode,
  name: string,
): Dentry | undefined => {
  const key = l === undefined ? 0 : keyOf(dirObj, name)
  const hit = l?.get(key)
  if (hit !== undefined && hit.dir === dirObj && hit.name === name) return hit
  const obj = dir.entries === null ? undefined : H.get(dir.entries, name)
  if (obj === undefined) return undefined
  const node = mustObj(os, obj)
  const found: Dentry = { dir: dirObj, name, obj, type: node.type, node }
  l?.set(key, found)
  return found
}
