/**
 * Applies one ordinary tar entry (not a whiteout) at its confined, canonical path, with the
 * replacement rules: a directory over a directory keeps the children and takes the new
 * metadata; any other existing object is removed (a directory with its subtree) and the
 * new one created; a file over a file is a new object (later wins, N7), so a hard link of
 * the old one elsewhere is left alone.
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type StorageError } from '../errors.js'
import type { Bytes, CreateOptions, WriteOptions } from '../fs.js'
import { type ApplyState, markLayer, markMade, recordDir, removeTree, surelyFree } from './apply-state.js'
import { makedev } from './devices.js'
import { baseName, isUnder, joinPath, normalizeEntryName, parentPath } from './names.js'
import { knownDir as resolvedAlready, lstatOrNone, resolveDir } from './resolve.js'
import { attempt, carried, fail, must } from './run.js'
import type { TarHeader } from './tar-entry.js'

const unsafe = (entry: string, reason: string): never => fail(err('UnsafePath', { entry, reason }))

const owner = (s: ApplyState, h: TarHeader): Pick<CreateOptions, 'uid' | 'gid'> =>
  s.capabilities.chown ? { uid: h.uid, gid: h.gid } : {}

// the options of a regular file, a symlink and a directory, written out: a spread of objects of two shapes costs microseconds per entry
export const fileOptions = (s: ApplyState, h: TarHeader): WriteOptions => ({
  uid: s.capabilities.chown ? h.uid : undefined,
  gid: s.capabilities.chown ? h.gid : undefined,
  mode: h.mode,
  mtimeMs: h.mtimeMs,
  flag: 'create',
})
export const linkOptions = (s: ApplyState, h: TarHeader): CreateOptions => ({
  uid: s.capabilities.chown ? h.uid : undefined,
  gid: s.capabilities.chown ? h.gid : undefined,
  mtimeMs: h.mtimeMs,
})
export const dirOptions = (s: ApplyState, h: TarHeader): CreateOptions => ({
  uid: s.capabilities.chown ? h.uid : undefined,
  gid: s.capabilities.chown ? h.gid : undefined,
  mode: h.mode | 0o700,
})

/** Sets the entry's xattrs on `path`; with `exact`, removes the ones the entry does not carry. */
const applyXattrs = async (s: ApplyState, h: TarHeader, path: string, exact: boolean): Promise<void> => {
  if (!s.capabilities.xattrs) return
  if (exact) {
    const keep = new Set(h.xattrs.map(([k]) => k))
    for (const name of await must(s.tree.listXattrs(path)))
      if (!keep.has(name)) await must(s.tree.removeXattr(path, name))
  }
  for (const [name, value] of h.xattrs) await must(s.tree.setXattr(path, name, value))
}

/** The entry body as the file tree consumes it, remembering why it stopped if it failed. */
const guardedBody = (s: ApplyState, h: TarHeader, body: AsyncIterable<Bytes>) => {
  let failure: StorageError | undefined
  const stream = async function* (): AsyncGenerator<Bytes> {
    let seen = 0
    try {
      for await (const chunk of body) {
        seen += chunk.byteLength
        if (seen > s.limits.maxFileBytes)
          fail(err('LimitExceeded', { what: 'file bytes', limit: s.limits.maxFileBytes, entry: h.name }))
        yield chunk
      }
    } catch (u) {
      failure = carried(u) ?? err('CorruptLayer', { what: 'layer tar', reason: String(u), entry: h.name })
      throw u
    }
  }
  return { stream: stream(), failure: () => failure }
}

const linkTarget = async (s: ApplyState, h: TarHeader): Promise<{ path: string; ino: number }> => {
  const entry = h.name
  if (h.linkname === undefined || h.linkname === '') return unsafe(entry, 'hardlink without a target')
  const norm = normalizeEntryName(h.linkname)
  if (E.isLeft(norm))
    return unsafe(
      entry,
      `hardlink target '${h.linkname}': ${norm.left._tag === 'UnsafePath' ? norm.left.reason : 'bad name'}`,
    )
  if (norm.right === '') return unsafe(entry, 'hardlink to the root directory')
  const dir = await resolveDir(s.tree, entry, parentPath(norm.right), { missing: 'stop', symlinks: 'follow' })
  const path = dir === undefined ? undefined : joinPath(dir, baseName(norm.right))
  const st = path === undefined ? undefined : await lstatOrNone(s.tree, path)
  if (path === undefined || st === undefined)
    return unsafe(entry, `hardlink target '${h.linkname}' does not exist in the layer's tree`)
  if (st.type === '/') return unsafe(entry, `hardlink target '${h.linkname}' is a directory`)
  return { path, ino: st.ino }
}

/** Directory `path` (named), whose parent `parent` was just resolved, is at canonical `p`. */
export const knownDir = (s: ApplyState, path: string, parent: string, p: string): void => {
  const up = parent === '' ? { links: 0 } : s.resolved.get(parent)
  if (up !== undefined) s.resolved.set(path, { canonical: p, links: up.links })
}

/** Applies entry `h` at normalized path `path` (not a whiteout). */
export const applyPlain = async (
  s: ApplyState,
  h: TarHeader,
  path: string,
  body: AsyncIterable<Bytes>,
  whole: () => Bytes | undefined,
): Promise<void> => {
  const entry = h.name
  if (path === '') {
    if (h.type !== 'directory') return unsafe(entry, 'a non-directory entry names the root')
    if (s.capabilities.chown) await must(s.tree.chown('', h.uid, h.gid))
    await applyXattrs(s, h, '', true)
    return recordDir(s, '', h.mode, h.mtimeMs)
  }
  if ((h.type === 'block-device' || h.type === 'character-device') && !s.capabilities.deviceNodes) {
    return fail(err('Unsupported', { what: `device node entry '${entry}' (driver has no deviceNodes capability)` }))
  }
  if (h.type === 'symlink' && (h.linkname === undefined || h.linkname === ''))
    return unsafe(entry, 'symlink with an empty target')
  if (h.linkname?.includes('\u0000')) return unsafe(entry, 'link target contains NUL')
  const target = h.type === 'link' ? await linkTarget(s, h) : undefined
  // siblings follow each other in a tar, and a directory's entries follow it: each directory is resolved once while nothing is removed
  const parent = parentPath(path)
  const dir =
    resolvedAlready(parent, s.resolved) ??
    (await resolveDir(
      s.tree,
      entry,
      parent,
      { missing: 'create', symlinks: 'follow', onCreate: (p) => markMade(s, p) },
      s.resolved,
    )) ??
    ''
  const p = joinPath(dir, baseName(path))
  // a name in a directory this apply made is asked about only if this apply put something there
  const existing = surelyFree(s, dir, p) ? undefined : await lstatOrNone(s.tree, p)
  if (existing !== undefined) {
    if (h.type === 'directory' && existing.type === '/') {
      if (s.capabilities.chown) await must(s.tree.chown(p, h.uid, h.gid))
      await applyXattrs(s, h, p, true)
      await recordDir(s, p, h.mode, h.mtimeMs)
      knownDir(s, path, parent, p)
      return markLayer(s, p)
    }
    if (target !== undefined && existing.ino === target.ino) return markLayer(s, p)
    if (target !== undefined && isUnder(target.path, p))
      return unsafe(entry, `hardlink target '${h.linkname}' lies inside the entry it replaces`)
    await removeTree(s, entry, p)
  }
  switch (h.type) {
    case 'file': {
      // data the reader already holds is written in one piece (its size is the header's, within the limits)
      const bytes = whole()
      if (bytes !== undefined) {
        await must(s.tree.writeFile(p, bytes, fileOptions(s, h)))
        break
      }
      const g = guardedBody(s, h, body)
      const r = await attempt(s.tree.writeFile(p, g.stream, fileOptions(s, h)))
      if (E.isLeft(r)) return fail(g.failure() ?? r.left)
      break
    }
    case 'directory':
      await must(s.tree.mkdir(p, dirOptions(s, h)))
      s.made.add(p)
      await recordDir(s, p, h.mode, h.mtimeMs)
      knownDir(s, path, parent, p)
      break
    case 'symlink':
      await must(s.tree.symlink(h.linkname!, p, linkOptions(s, h)))
      break
    case 'link':
      await must(s.tree.link(target!.path, p))
      break
    case 'fifo':
      await must(s.tree.mknod(p, '|', { ...owner(s, h), mode: h.mode, mtimeMs: h.mtimeMs }))
      break
    case 'block-device':
    case 'character-device':
      await must(
        s.tree.mknod(p, h.type === 'block-device' ? 'B' : 'C', {
          ...owner(s, h),
          mode: h.mode,
          mtimeMs: h.mtimeMs,
          rdev: makedev(h.devmajor, h.devminor),
        }),
      )
      break
  }
  if (h.type !== 'link' && h.type !== 'directory' && h.xattrs.length > 0 && s.capabilities.xattrs) {
    await applyXattrs(s, h, p, false)
    await must(s.tree.utimes(p, h.mtimeMs))
  }
  if (h.type === 'directory') await applyXattrs(s, h, p, false)
  markLayer(s, p)
}
