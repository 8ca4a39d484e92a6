/**
 * Copying one file tree into another (a layer or container into a host directory for
 * `export`): every type the target supports, hardlinks kept as hardlinks (by object identity),
 * modes and mtimes set, ownership and extended attributes only as asked (what the user may
 * set: all namespaces as root, `user.*` otherwise). A directory's mode and mtime are set
 * after its children are written, so a mode-0000 directory still receives them and its mtime
 * is the source's.
 */
import { readdir, rm } from 'node:fs/promises'
import { join as hostJoin } from 'node:path'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type FileTree, type Stat, type StorageError } from '@stratum/core'
import { hostIoError } from '@stratum/core/internal'
import { join, must, steps } from './steps.js'

export interface CopyOptions {
  /** chown every entry to the source's uid/gid (needs root on a host) */
  readonly owners: boolean
  /** copy the extended attributes whose names pass this filter (both trees must support xattrs) */
  readonly xattrs?: (name: string) => boolean
  /** called once per entry copied (progress) */
  readonly onEntry?: (path: string, st: Stat) => void
  /** once aborted, the copy stops before its next entry with `Cancelled` naming `what` */
  readonly cancel?: { readonly signal: AbortSignal; readonly what: string }
}

export interface CopyResult {
  readonly entries: number
  readonly bytes: number
}

export const copyTree = (src: FileTree, dst: FileTree, opts: CopyOptions): TE.TaskEither<StorageError, CopyResult> =>
  steps('copy', async () => {
    const firstPathOf = new Map<number, string>()
    let entries = 0
    let bytes = 0
    const owner = (st: Stat) => (opts.owners ? { uid: st.uid, gid: st.gid } : {})
    const copyXattrs = async (path: string): Promise<void> => {
      if (opts.xattrs === undefined) return
      for (const n of await must(src.listXattrs(path))) {
        if (opts.xattrs(n)) await must(dst.setXattr(path, n, await must(src.getXattr(path, n))))
      }
    }
    const finishDir = async (path: string, st: Stat): Promise<void> => {
      await copyXattrs(path)
      if (opts.owners) await must(dst.chown(path, st.uid, st.gid))
      await must(dst.chmod(path, st.mode))
      await must(dst.utimes(path, st.mtimeMs))
    }
    const copyEntry = async (path: string): Promise<void> => {
      if (opts.cancel?.signal.aborted === true) await must(TE.left(err('Cancelled', { what: opts.cancel.what })))
      const st = await must(src.lstat(path))
      entries++
      opts.onEntry?.(path, st)
      if (st.type !== '/' && st.nlink > 1) {
        const first = firstPathOf.get(st.ino)
        if (first !== undefined) return must(dst.link(first, path))
        firstPathOf.set(st.ino, path)
      }
      switch (st.type) {
        case '/':
          await must(dst.mkdir(path, { mode: 0o700 }))
          for (const name of await must(src.readdir(path))) await copyEntry(join(path, name))
          return finishDir(path, st)
        case 'F':
          bytes += st.size
          await must(
            dst.writeFile(path, await must(src.read(path)), { mode: st.mode, mtimeMs: st.mtimeMs, ...owner(st) }),
          )
          return copyXattrs(path)
        case '@':
          await must(dst.symlink(await must(src.readlink(path)), path, { mtimeMs: st.mtimeMs, ...owner(st) }))
          return copyXattrs(path)
        case '|':
        case '=':
        case 'B':
        case 'C':
          await must(dst.mknod(path, st.type, { mode: st.mode, mtimeMs: st.mtimeMs, rdev: st.rdev, ...owner(st) }))
          return copyXattrs(path)
      }
    }
    const root = await must(src.lstat(''))
    for (const name of await must(src.readdir(''))) await copyEntry(name)
    await finishDir('', root)
    return { entries, bytes }
  })

/**
 * After a cancelled copy into the host directory `dir`, which was empty before: its entries
 * removed, then `e` (its `what` saying so when some could not be removed).
 */
export const emptied = (
  dir: string,
  e: StorageError & { readonly _tag: 'Cancelled' },
): TE.TaskEither<StorageError, never> =>
  pipe(
    TE.tryCatch(async () => {
      for (const name of await readdir(dir)) await rm(hostJoin(dir, name), { recursive: true, force: true })
    }, hostIoError(dir)),
    TE.matchE(
      (r) => TE.left({ ...e, what: `${e.what} (${dir} left partly written: ${r._tag})` }),
      () => TE.left(e),
    ),
  )
