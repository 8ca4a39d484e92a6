/**
 * `hostFileTree(rootDir)`: the core's FileTree over a host directory (a mounted dataset,
 * a snapshot's `.zfs/snapshot/<s>` directory, or any export target). Confinement and
 * no-follow rules: see resolve.ts; errno mapping: errno.ts.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as fsp from 'node:fs/promises'
import { resolve as resolvePath } from 'node:path'
import { err, type FileTree, type StorageError } from '@stratum/core'
import { fail, toStorageError } from './errno.js'
import { readContent, writeContent } from './content.js'
import { locate, type Located, type ResolveOptions } from './resolve.js'
import { makeDevice, makeFifo, makeSocket } from './special.js'
import { timeArg, toStat } from './stat.js'

export interface HostFileTreeOptions {
  /** every mutating call fails with EROFS */
  readonly readOnly: boolean
  /** block and character devices may be created (needs root); otherwise `Unsupported` */
  readonly deviceNodes?: boolean
  /** names refused directly under the root, e.g. ['.zfs'] for a ZFS dataset */
  readonly reservedRootNames?: readonly string[]
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

export const hostFileTree = (rootDir: string, opts: HostFileTreeOptions): FileTree => {
  const root = resolvePath(rootDir)
  const ropts: ResolveOptions = { reservedRootNames: opts.reservedRootNames ?? [] }
  const at = (path: string): Promise<Located> => locate(root, path, ropts)

  /** Runs a host operation; Node's and our own failures become Io errors naming `path`. */
  const op = <A>(path: string, f: () => Promise<A>): TE.TaskEither<StorageError, A> =>
    TE.tryCatch(f, toStorageError(path))
  /** A mutating operation: EROFS on a read-only tree before anything is looked at. */
  const mut = <A>(path: string, f: () => Promise<A>): TE.TaskEither<StorageError, A> =>
    opts.readOnly ? TE.left(err('Io', { code: 'EROFS', path, message: 'read-only file tree' })) : op(path, f)

  /** The named entry, or `ifDir` when the path names the root or ends in '..'. */
  const named = async (path: string, ifDir: Parameters<typeof fail>[0]): Promise<Extract<Located, { kind: 'entry' }>> => {
    const l = await at(path)
    return l.kind === 'entry' ? l : fail(ifDir, 'not a name of its own (the root or a path ending in ..)')
  }

  /** Owner, mode and time for a just-created entry (lchown first: chown clears setuid bits). */
  const finish = async (host: string, o: { uid?: number; gid?: number; mode?: number; mtimeMs?: number }, isLink: boolean): Promise<void> => {
    if (o.uid !== undefined || o.gid !== undefined) await fsp.lchown(host, o.uid ?? -1, o.gid ?? -1)
    if (!isLink && o.mode !== undefined) await fsp.chmod(host, o.mode & 0o7777)
    if (o.mtimeMs !== undefined) await fsp.lutimes(host, timeArg(o.mtimeMs), timeArg(o.mtimeMs))
  }

  const unsupportedXattrs = <A>(): TE.TaskEither<StorageError, A> => TE.left(err('Unsupported', { what: 'extended attributes (hostFileTree)' }))

  return {
    readOnly: opts.readOnly,

    lstat: (path) => op(path, async () => {
      const l = await at(path)
      // '<dir>/.' walks into the directory itself, so an automounted root (a snapshot) is mounted first
      return toStat(await fsp.lstat(l.kind === 'dir' ? `${l.host}/.` : l.host, { bigint: true }))
    }),

    readdir: (path) => op(path, async () => {
      const l = await at(path)
      const st = await fsp.lstat(l.host)
      if (!st.isDirectory()) fail('ENOTDIR', 'not a directory')
      const raw = await fsp.readdir(l.host, { encoding: 'buffer' })
      const names = raw.sort(Buffer.compare).map((b) => {
        try {
          return utf8.decode(b)
        } catch {
          return fail('EIO', `a name in this directory is not UTF-8: ${JSON.stringify(b.toString('latin1'))}`)
        }
      })
      return l.host === root ? names.filter((n) => !ropts.reservedRootNames.includes(n)) : names
    }),

    readlink: (path) => op(path, async () => {
      const l = await named(path, 'EINVAL')
      const st = await fsp.lstat(l.host)
      if (!st.isSymbolicLink()) fail('EINVAL', 'not a symlink')
      return fsp.readlink(l.host)
    }),

    read: (path) => op(path, async () => readContent((await named(path, 'EISDIR')).host)),

    writeFile: (path, content, o = {}) => mut(path, async () => writeContent((await named(path, 'EISDIR')).host, content, o)),

    mkdir: (path, o = {}) => mut(path, async () => {
      const l = await named(path, 'EEXIST')
      await fsp.mkdir(l.host, { mode: 0o700 })
      await finish(l.host, { ...o, mode: o.mode ?? 0o755 }, false)
    }),

    symlink: (target, path, o = {}) => mut(path, async () => {
      const l = await named(path, 'EEXIST')
      await fsp.symlink(target, l.host)
      await finish(l.host, o, true)
    }),

    link: (existing, path) => mut(path, async () => {
      const from = await named(existing, 'EPERM')
      const to = await named(path, 'EEXIST')
      await fsp.link(from.host, to.host)
    }),

    mknod: (path, type, o = {}) =>
      (type === 'B' || type === 'C') && opts.deviceNodes !== true && !opts.readOnly
        ? TE.left(err('Unsupported', { what: `device nodes in this file tree (${path})` }))
        : mut(path, async () => {
          const l = await named(path, 'EEXIST')
          if (type === '|') await makeFifo(l.host)
          else if (type === '=') await makeSocket(l.dir, l.name)
          else await makeDevice(l.host, type, o.rdev ?? 0)
          await finish(l.host, { ...o, mode: o.mode ?? 0o644 }, false)
        }),

    unlink: (path) => mut(path, async () => {
      const l = await named(path, 'EISDIR')
      const st = await fsp.lstat(l.host)
      if (st.isDirectory()) fail('EISDIR', 'is a directory')
      await fsp.unlink(l.host)
    }),

    rmdir: (path) => mut(path, async () => fsp.rmdir((await named(path, 'EINVAL')).host)),

    rename: (from, to) => mut(from, async () => {
      const a = await named(from, 'EINVAL')
      const b = await named(to, 'EINVAL')
      await fsp.rename(a.host, b.host)
    }),

    chmod: (path, mode) => mut(path, async () => {
      const l = await at(path)
      const st = await fsp.lstat(l.host)
      // Linux keeps no mode on symlinks (always 0777): nothing to change, and chmod(2) would follow it
      if (!st.isSymbolicLink()) await fsp.chmod(l.host, mode & 0o7777)
    }),

    chown: (path, uid, gid) => mut(path, async () => fsp.lchown((await at(path)).host, uid, gid)),

    utimes: (path, mtimeMs) => mut(path, async () => fsp.lutimes((await at(path)).host, timeArg(mtimeMs), timeArg(mtimeMs))),

    listXattrs: () => unsupportedXattrs(),
    getXattr: () => unsupportedXattrs(),
    setXattr: () => unsupportedXattrs(),
    removeXattr: () => unsupportedXattrs(),
  }
}

