/**
 * ZFS object sets, modelled: an immutable map object number -> znode. A dataset and each
 * of its snapshots point at one object set; a change makes a new set by path copying, so a
 * snapshot (keep the root) and a clone (share the snapshot's root) are O(1).
 *
 * Every change to an object makes a new znode value for it (like a new birth txg); a read
 * never does. Object identity is (`obj`, `gen`); a removed and re-created object gets a new
 * number and a new gen.
 */
import type { Stat } from '@stratum/core'
import * as H from './hamt.js'
import type { StoredBytes } from './lazy.js'

/** One object: what lstat reports of it (but `ino`: its `obj`), its contents and its links. */
export interface Znode extends Omit<Stat, 'ino'> {
  readonly obj: number
  readonly gen: number
  /** regular files: the bytes (shared between versions that did not change them), or where they are stored */
  readonly content: Uint8Array | StoredBytes | null
  /** symlinks: the target */
  readonly target: string | null
  /** the one parent pointer ZFS keeps: set when a link is made (create, hard link, rename) */
  readonly parent: number
  /** the name in `parent` at create or last rename */
  readonly name: string
  /** directories: name -> object number */
  readonly entries: H.Hamt<string, number> | null
  readonly xattrs: ReadonlyMap<string, Uint8Array> | null
}

export interface ObjSet {
  readonly objects: H.Hamt<number, Znode>
  readonly rootObj: number
}

/** Where new objects get their numbers, generations and default times. */
export interface Alloc {
  /** a fresh object number (never reused) */
  readonly obj: () => number
  /** a fresh generation */
  readonly gen: () => number
  /** the clock for default mtimes, integer ms */
  readonly now: () => number
}

/**
 * `z` as a znode of the one shape every znode has: its fields in this order, all inside the
 * object, those a resolution step reads first. A spread (`{ ...z, mode }`) makes objects whose
 * later fields sit in a separate array: one more memory access for each directory passed.
 */
export const znode = (z: Znode): Znode => ({
  type: z.type,
  obj: z.obj,
  parent: z.parent,
  name: z.name,
  entries: z.entries,
  gen: z.gen,
  mode: z.mode,
  uid: z.uid,
  gid: z.gid,
  size: z.size,
  mtimeMs: z.mtimeMs,
  nlink: z.nlink,
  rdev: z.rdev,
  content: z.content,
  target: z.target,
  xattrs: z.xattrs,
})

/** What a value of an object map weighs in its HAMT (hamt.ts `weight`): a regular file's bytes. */
export const fileBytes = (v: unknown): number => {
  const z = v as Partial<Znode> | null
  return typeof z === 'object' && z !== null && z.type === 'F' && typeof z.size === 'number' ? z.size : 0
}

export const getObj = (os: ObjSet, obj: number): Znode | undefined => H.get(os.objects, obj)

/** The znode of `obj`, which the caller knows exists (a dangling reference is a bug). */
export const mustObj = (os: ObjSet, obj: number): Znode => {
  const z = H.get(os.objects, obj)
  if (z === undefined) throw new Error(`sim-driver: dangling object ${obj}`)
  return z
}

/** `os` with `z` stored as object `z.obj` (in the one znode shape). */
export const putObj = (os: ObjSet, z: Znode): ObjSet => ({
  objects: H.set(os.objects, z.obj, znode(z)),
  rootObj: os.rootObj,
})

export const dropObj = (os: ObjSet, obj: number): ObjSet => ({
  objects: H.remove(os.objects, obj),
  rootObj: os.rootObj,
})

export const rootOf = (os: ObjSet): Znode => mustObj(os, os.rootObj)

/** A new object set holding only an empty root directory. */
export const emptyObjSet = (alloc: Alloc): ObjSet => {
  const obj = alloc.obj()
  const root = znode({
    obj,
    gen: alloc.gen(),
    type: '/',
    mode: 0o755,
    uid: 0,
    gid: 0,
    size: 2,
    mtimeMs: alloc.now(),
    nlink: 2,
    rdev: 0,
    content: null,
    target: null,
    parent: obj,
    name: '',
    entries: H.empty(),
    xattrs: null,
  })
  return { objects: H.set(H.empty(), obj, root), rootObj: obj }
}

/**
 * The path of an object from its parent pointers, '/' for the root (one name per object, as
 * zfs diff's zfs_obj_to_path). Undefined when a name cannot be found: the object's newest
 * hard link (where its parent pointer points) was removed while older links remain; zfs
 * then gets ENOENT and zfs diff treats the object as absent on that side.
 */
export const pathOf = (os: ObjSet, z: Znode): string | undefined => {
  const names: string[] = []
  let cur = z
  for (let depth = 0; cur.obj !== os.rootObj; depth++) {
    const parent = getObj(os, cur.parent)
    if (parent === undefined || depth > 100_000) return undefined
    const name = nameIn(parent, cur)
    if (name === undefined) return undefined
    names.push(name)
    cur = parent
  }
  return `/${names.reverse().join('/')}`
}

/** The name of `z` in directory `dir`: its recorded name if linked there, else any name linking it there (zap_value_search). */
const nameIn = (dir: Znode, z: Znode): string | undefined => {
  if (dir.entries === null) return undefined
  if (H.get(dir.entries, z.name) === z.obj) return z.name
  for (const [name, obj] of H.entries(dir.entries)) if (obj === z.obj) return name
  return undefined
}
