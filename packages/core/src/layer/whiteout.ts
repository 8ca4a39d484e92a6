/**
 * Whiteouts and opaque markers (W1-W7): they hide entries of LOWER layers only. An entry
 * this layer created stays, and a lower directory that holds entries of this layer stays
 * (its lower children go). A whiteout whose parent path crosses a symlink is refused (W5);
 * one whose parent does not exist is a no-op (W3).
 */
import { type ApplyState, removeTree } from './apply-state.js'
import { baseName, joinPath, parentPath } from './names.js'
import { lstatOrNone, resolveDir } from './resolve.js'
import { must } from './run.js'

/** Hides the lower content at canonical `path`, keeping what this layer put there. */
const hideLower = async (s: ApplyState, entry: string, path: string): Promise<void> => {
  const st = await lstatOrNone(s.tree, path)
  if (st === undefined) return
  const keep = s.layerPaths.has(path) || s.layerAncestors.has(path)
  if (!keep) return removeTree(s, entry, path)
  if (st.type !== '/') return
  for (const child of await must(s.tree.readdir(path))) await hideLower(s, entry, joinPath(path, child))
}

const resolveParent = (s: ApplyState, entry: string, dir: string): Promise<string | undefined> =>
  resolveDir(s.tree, entry, dir, { missing: 'stop', symlinks: 'refuse' }, s.resolved)

/** `dir/.wh.name`: hide `dir/name`; nothing to hide in a directory this apply made (it holds this layer's entries only). */
export const applyWhiteout = async (s: ApplyState, entry: string, target: string): Promise<void> => {
  const dir = await resolveParent(s, entry, parentPath(target))
  if (dir === undefined || s.made.has(dir)) return
  const path = joinPath(dir, baseName(target))
  const st = await lstatOrNone(s.tree, path)
  if (st === undefined) return
  await hideLower(s, entry, path)
}

/** `dir/.wh..wh..opq`: hide every lower entry of `dir` (none in a directory this apply made). */
export const applyOpaque = async (s: ApplyState, entry: string, dirPath: string): Promise<void> => {
  const dir = await resolveParent(s, entry, dirPath)
  if (dir === undefined || s.made.has(dir)) return
  const st = await lstatOrNone(s.tree, dir)
  if (st === undefined || st.type !== '/') return
  for (const child of await must(s.tree.readdir(dir))) await hideLower(s, entry, joinPath(dir, child))
}
