/**
 * Primitive edits of an object set: link a name into a directory, unlink it, drop a link
 * of an object. Each one writes new znodes for every object it changes (and only those).
 */
import * as H from './hamt.js'
import { dropObj, mustObj, putObj, type Alloc, type ObjSet, type Znode } from './objset.js'

/** A directory after an entry change: new entries, nlink adjusted, size and mtime updated. */
const withEntries = (dir: Znode, entries: H.Hamt<string, number>, nlinkDelta: number, alloc: Alloc): Znode => ({
  ...dir,
  entries,
  size: entries.size + 2,
  nlink: dir.nlink + nlinkDelta,
  mtimeMs: alloc.now(),
})

/** Adds `name -> child` to directory `dirObj` (the child object must already be in `os`). */
export const addEntry = (os: ObjSet, dirObj: number, name: string, child: Znode, alloc: Alloc): ObjSet => {
  const dir = mustObj(os, dirObj)
  return putObj(os, withEntries(dir, H.set(dir.entries!, name, child.obj), child.type === '/' ? 1 : 0, alloc))
}

/** Removes entry `name` (naming `child`) from directory `dirObj`; the child object is not touched. */
export const removeEntry = (os: ObjSet, dirObj: number, name: string, child: Znode, alloc: Alloc): ObjSet => {
  const dir = mustObj(os, dirObj)
  return putObj(os, withEntries(dir, H.remove(dir.entries!, name), child.type === '/' ? -1 : 0, alloc))
}

/** One link of `obj` is gone: a directory or a last link frees the object, else nlink drops by one. */
export const dropLink = (os: ObjSet, obj: number): ObjSet => {
  const z = mustObj(os, obj)
  if (z.type === '/' || z.nlink <= 1) return dropObj(os, obj)
  return putObj(os, { ...z, nlink: z.nlink - 1 })
}

/** A new object of any type, not yet linked anywhere. */
export const newNode = (
  alloc: Alloc,
  parent: number,
  name: string,
  fields: Partial<Omit<Znode, 'obj' | 'gen' | 'parent' | 'name'>> & Pick<Znode, 'type' | 'mode'>,
): Znode => ({
  obj: alloc.obj(),
  gen: alloc.gen(),
  uid: 0,
  gid: 0,
  size: 0,
  mtimeMs: alloc.now(),
  nlink: 1,
  rdev: 0,
  content: null,
  target: null,
  entries: null,
  xattrs: null,
  parent,
  name,
  ...fields,
})

/** True when directory `anc` is `obj` or one of its ancestors (by parent pointers). */
export const isAncestorOrSelf = (os: ObjSet, anc: number, obj: number): boolean => {
  let cur = obj
  for (let depth = 0; depth < 1_000_000; depth++) {
    if (cur === anc) return true
    if (cur === os.rootObj) return false
    cur = mustObj(os, cur).parent
  }
  return false
}
