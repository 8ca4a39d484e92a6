/**
 * The common entry applied at once, where the tree makes its calls synchronously
 * (`FileTree.now`): a regular file whose data the reader holds, a directory or a symlink, with
 * no extended attributes to set, at a name that is surely free in a directory this
 * apply made and resolved. It makes the same calls as apply-entry.ts, with no promise, and lets
 * the tree write the file, and set a directory's owner and mode, later where it can
 * (`writeLater`, `mkdirLater`: apply.ts settles); every other entry,
 * and every entry on another tree, goes that way.
 */
import type { Bytes } from '../fs.js'
import { dirOptions, fileOptions, knownDir, linkOptions } from './apply-entry.js'
import { type ApplyState, markLayer, surelyFree } from './apply-state.js'
import { baseName, joinPath, parentPath } from './names.js'
import { knownDir as resolvedAlready } from './resolve.js'
import { mustNow } from './run.js'
import type { TarHeader } from './tar-entry.js'

/** Applies entry `h` at normalized path `path` when it is the common case; false (nothing done, no data taken) otherwise. */
export const applyNow = (s: ApplyState, h: TarHeader, path: string, whole: () => Bytes | undefined): boolean => {
  const now = s.tree.now
  if (now === undefined || path === '' || (h.linkname !== undefined) !== (h.type === 'symlink')) return false
  if (h.type !== 'file' && h.type !== 'directory' && h.type !== 'symlink') return false
  if ((h.xattrs.length > 0 && s.capabilities.xattrs) || h.linkname === '' || h.linkname?.includes('\u0000'))
    return false
  const parent = parentPath(path)
  const dir = resolvedAlready(parent, s.resolved)
  if (dir === undefined) return false
  const p = joinPath(dir, baseName(path))
  if (!surelyFree(s, dir, p)) return false
  if (h.type === 'file') {
    const bytes = whole()
    if (bytes === undefined) return false
    const o = fileOptions(s, h)
    mustNow(now.writeLater === undefined ? now.writeFile(p, bytes, o) : now.writeLater(p, bytes, o, h.name))
  } else if (h.type === 'symlink') {
    mustNow(now.symlink(h.linkname!, p, linkOptions(s, h)))
  } else {
    const o = dirOptions(s, h)
    mustNow(now.mkdirLater === undefined ? now.mkdir(p, o) : now.mkdirLater(p, o, h.name))
    s.made.add(p)
    s.dirMeta.set(p, { ino: s.removed ? mustNow(now.lstat(p)).ino : undefined, mode: h.mode, mtimeMs: h.mtimeMs })
    knownDir(s, path, parent, p)
  }
  markLayer(s, p)
  return true
}
