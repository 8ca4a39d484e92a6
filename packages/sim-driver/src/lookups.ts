/**
 * Directory lookups remembered per object map, as the kernel's dentry cache: (directory,
 * name) -> child znode. An object map never changes, so neither does what a lookup in it
 * finds; the cache is keyed by the map's root node and goes with it. A hit costs one hash
 * table probe instead of two HAMT walks (the entry's name, then its object number in a map
 * that grows a level with every 32-fold more objects), so a resolution step costs the same in
 * a large tree as in a small one.
 */
import * as H from './hamt.js'
import { mustObj, type ObjSet, type Znode } from './objset.js'

/** Lookups by key (directory object and name hash); a hit is checked against the child's own parent and name. */
export type Lookups = Map<number, Znode>

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

/**
 * The object `name` names in directory `dir`, undefined when there is no such entry. Only a
 * child whose parent pointer and name are this entry is remembered (a directory always is; a
 * file's hard link may not be), so a hit with that parent and name is this entry.
 */
export const lookup = (os: ObjSet, l: Lookups | undefined, dir: Znode, name: string): Znode | undefined => {
  const key = l === undefined ? 0 : keyOf(dir.obj, name)
  const hit = l?.get(key)
  if (hit !== undefined && hit.parent === dir.obj && hit.name === name) return hit
  const obj = H.get(dir.entries!, name)
  if (obj === undefined) return undefined
  const z = mustObj(os, obj)
  if (l !== undefined && z.parent === dir.obj && z.name === name) l.set(key, z)
  return z
}
