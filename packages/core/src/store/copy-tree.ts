/**
 * Copying one file tree into another (`exportTree`): every type the target supports, hardlinks
 * kept as hardlinks (by inode), modes and mtimes set, owners and extended attributes only as
 * asked. A directory's mode and mtime are set after its children are written, so a mode-0000
 * directory still receives them and its mtime is the source's.
 */
import type { FileTree, Stat } from '../fs.js'
import { joinPath } from '../layer/names.js'
import { must, mustNow } from './steps.js'

export interface CopyOptions {
  /** chown every entry to the source's uid/gid */
  readonly owners: boolean
  /** copy the extended attributes whose names pass this filter (both trees must support xattrs) */
  readonly xattrs?: (name: string) => boolean
  /** called before each entry is copied: it may stop the copy by throwing (a checkpoint) */
  readonly onEntry: (path: string, st: Stat) => void
}

export interface CopyResult {
  readonly entries: number
  readonly bytes: number
}

/** Copies `src` into `dst`; run inside `steps` (a failure stops it where it is). */
export const copyTree = async (src: FileTree, dst: FileTree, opts: CopyOptions): Promise<CopyResult> => {
  const firstPathOf = new Map<number, string>()
  let entries = 0
  let bytes = 0
  // options written out in one shape each (a spread of the owner into them costs microseconds an entry)
  const fileOpts = (st: Stat) =>
    opts.owners
      ? { mode: st.mode, mtimeMs: st.mtimeMs, uid: st.uid, gid: st.gid }
      : { mode: st.mode, mtimeMs: st.mtimeMs, uid: undefined, gid: undefined }
  const linkOpts = (st: Stat) =>
    opts.owners
      ? { mtimeMs: st.mtimeMs, uid: st.uid, gid: st.gid }
      : { mtimeMs: st.mtimeMs, uid: undefined, gid: undefined }
  const copyXattrs = async (path: string): Promise<void> => {
    if (opts.xattrs === undefined) return
    for (const n of await must(src.listXattrs(path)))
      if (opts.xattrs(n)) await must(dst.setXattr(path, n, await must(src.getXattr(path, n))))
  }
  const finishDir = async (path: string, st: Stat): Promise<void> => {
    await copyXattrs(path)
    if (opts.owners) await must(dst.chown(path, st.uid, st.gid))
    await must(dst.chmod(path, st.mode))
    await must(dst.utimes(path, st.mtimeMs))
  }
  // the source's lstat and the target's mkdir with no promise where the trees make them now
  const srcNow = src.now
  const dstNow = dst.now
  const copyEntry = async (path: string): Promise<void> => {
    const st = srcNow !== undefined ? mustNow(srcNow.lstat(path)) : await must(src.lstat(path))
    opts.onEntry(path, st)
    entries++
    if (st.type !== '/' && st.nlink > 1) {
      const first = firstPathOf.get(st.ino)
      if (first !== undefined) return must(dst.link(first, path))
      firstPathOf.set(st.ino, path)
    }
    switch (st.type) {
      case '/':
        if (dstNow !== undefined) mustNow(dstNow.mkdir(path, { mode: 0o700 }))
        else await must(dst.mkdir(path, { mode: 0o700 }))
        for (const name of await must(src.readdir(path))) await copyEntry(joinPath(path, name))
        return finishDir(path, st)
      case 'F':
        bytes += st.size
        await must(dst.writeFile(path, await must(src.read(path)), fileOpts(st)))
        return copyXattrs(path)
      case '@':
        await must(dst.symlink(await must(src.readlink(path)), path, linkOpts(st)))
        return copyXattrs(path)
      case '|':
      case '=':
      case 'B':
      case 'C':
        await must(dst.mknod(path, st.type, { ...fileOpts(st), rdev: st.rdev }))
        return copyXattrs(path)
    }
  }
  const root = await must(src.lstat(''))
  for (const name of await must(src.readdir(''))) await copyEntry(name)
  await finishDir('', root)
  return { entries, bytes }
}

/** Removes everything under the root of `tree` (the undo of a failed copy into an empty tree). */
export const emptyTree = async (tree: FileTree, path = ''): Promise<void> => {
  for (const name of await must(tree.readdir(path))) {
    const p = joinPath(path, name)
    const st = await must(tree.lstat(p))
    if (st.type !== '/') await must(tree.unlink(p))
    else {
      await must(tree.chmod(p, 0o700))
      await emptyTree(tree, p)
      await must(tree.rmdir(p))
    }
  }
}
