/**
 * `hostFileTree(rootDir)`: the core's FileTree over a host directory (a mounted dataset,
 * a snapshot's `.zfs/snapshot/<s>` directory, or any export target). Confinement and
 * no-follow rules: see resolve.ts; errno mapping: errno.ts; extended attributes: xattrs.ts.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as fsp from 'node:fs/promises'
import { resolve as resolvePath } from 'node:path'
import { err, type FileTree, type FsCode, type StorageError } from '@stratum/core'
import { fail, toStorageError } from './errno.js'
import { openForRead, readFrom, regularIno, writeContent } from './content.js'
import { canPin, makeResolver, type Located } from './resolve.js'
import { makeDevice, makeFifo, makeSocket } from './special.js'
import { timeArg, toStat } from './stat.js'
import { xattrBinding } from './xattr-binding.js'
import { xattrOps, type XattrOps } from './xattrs.js'

export interface HostFileTreeOptions {
  /** every mutating call fails with EROFS */
  readonly readOnly: boolean
  /** block and character devices may be created (needs root); otherwise `Unsupported` */
  readonly deviceNodes?: boolean
  /** names refused directly under the root, e.g. ['.zfs'] for a ZFS dataset */
  readonly reservedRootNames?: readonly string[]
  /** pin directories by descriptor through /proc (default: where Linux offers it) */
  readonly pin?: boolean
  /** extended attributes (default and at most: where `xattrSupport()`); otherwise `Unsupported` */
  readonly xattrs?: boolean
}

type Entry = Extract<Located, { kind: 'entry' }>
const utf8 = new TextDecoder('utf-8', { fatal: true })

export const hostFileTree = (rootDir: string, opts: HostFileTreeOptions): FileTree => {
  const root = resolvePath(rootDir)
  const reserved = opts.reservedRootNames ?? []
  const resolver = makeResolver(root, { reservedRootNames: reserved }, opts.pin ?? canPin())

  /** Runs `f` on the located path and releases the pinned directory after. */
  const at = async <A>(path: string, f: (l: Located) => Promise<A>): Promise<A> => {
    const l = await resolver.locate(path)
    try {
      return await f(l)
    } finally {
      await l.release()
    }
  }
  /** Like `at`, for a path that must name an entry; `ifDir` when it names the root or ends in '..'. */
  const entry = <A>(path: string, ifDir: FsCode, f: (l: Entry) => Promise<A>): Promise<A> =>
    at(path, (l) => (l.kind === 'entry' ? f(l) : fail(ifDir, 'not a name of its own (the root or a path ending in ..)')))

  /** Runs a host operation; Node's and our own failures become Io errors naming `path`. */
  const op = <A>(path: string, f: () => Promise<A>): TE.TaskEither<StorageError, A> => TE.tryCatch(f, toStorageError(path))
  /** A mutating operation: EROFS on a read-only tree before anything is looked at. */
  const mut = <A>(path: string, f: () => Promise<A>): TE.TaskEither<StorageError, A> =>
    opts.readOnly ? TE.left(err('Io', { code: 'EROFS', path, message: 'read-only file tree' })) : op(path, f)

  /** Owner, mode and time for a just-created entry (lchown first: chown clears setuid bits). */
  const finish = async (host: string, o: { uid?: number; gid?: number; mode?: number; mtimeMs?: number }, isLink: boolean): Promise<void> => {
    if (o.uid !== undefined || o.gid !== undefined) await fsp.lchown(host, o.uid ?? -1, o.gid ?? -1)
    if (!isLink && o.mode !== undefined) await fsp.chmod(host, o.mode & 0o7777)
    if (o.mtimeMs !== undefined) await fsp.lutimes(host, timeArg(o.mtimeMs), timeArg(o.mtimeMs))
  }

  const binding = opts.xattrs === false ? undefined : xattrBinding()
  const xa = binding === undefined ? undefined : xattrOps(binding)
  /** an xattr call on the located entry itself (the root too), or Unsupported */
  const xattr = <A>(path: string, change: boolean, f: (x: XattrOps, host: string) => Promise<A>): TE.TaskEither<StorageError, A> =>
    xa === undefined
      ? TE.left(err('Unsupported', { what: 'extended attributes (hostFileTree)' }))
      : (change ? mut : op)(path, () => at(path, (l) => f(xa, l.host)))

  return {
    readOnly: opts.readOnly,

    // a directory's host path ends in '/.', which also mounts an automounted root (a snapshot) first
    lstat: (path) => op(path, () => at(path, async (l) => toStat(await fsp.lstat(l.host, { bigint: true })))),

    readdir: (path) => op(path, () => at(path, async (l) => {
      const st = await fsp.lstat(l.host)
      if (!st.isDirectory()) fail('ENOTDIR', 'not a directory')
      const names = (await fsp.readdir(l.host, { encoding: 'buffer' })).sort(Buffer.compare).map((b) => {
        try {
          return utf8.decode(b)
        } catch {
          return fail('EIO', `a name in this directory is not UTF-8: ${JSON.stringify(b.toString('latin1'))}`)
        }
      })
      return l.kind === 'dir' && l.isRoot ? names.filter((n) => !reserved.includes(n)) : names
    })),

    readlink: (path) => op(path, () => entry(path, 'EINVAL', async (l) => {
      if (!(await fsp.lstat(l.host)).isSymbolicLink()) fail('EINVAL', 'not a symlink')
      return fsp.readlink(l.host)
    })),

    // checked now; opened (through a fresh confined walk) when iteration starts, closed when it ends
    read: (path) => op(path, async () => {
      const ino = await entry(path, 'EISDIR', (l) => regularIno(l.host))
      return readFrom(() => entry(path, 'EISDIR', (l) => openForRead(l.host, ino)))
    }),

    // the root as the target: O_CREAT|O_EXCL on an existing directory is EEXIST, O_TRUNC or O_APPEND on one EISDIR
    writeFile: (path, content, o = {}) => mut(path, () => entry(path, (o.flag ?? 'create') === 'create' ? 'EEXIST' : 'EISDIR', (l) => writeContent(l.host, content, o))),

    mkdir: (path, o = {}) => mut(path, () => entry(path, 'EEXIST', async (l) => {
      await fsp.mkdir(l.host, { mode: 0o700 })
      await finish(l.host, { ...o, mode: o.mode ?? 0o755 }, false)
    })),

    symlink: (target, path, o = {}) => mut(path, () => entry(path, 'EEXIST', async (l) => {
      await fsp.symlink(target, l.host)
      await finish(l.host, o, true)
    })),

    // as linkat(2): the source is looked up, then the new name (EEXIST, walk errors), and only then is a directory source refused
    link: (existing, path) => mut(path, () => at(existing, (from) => at(path, async (to) => {
      if (to.kind !== 'entry') return fail('EEXIST', 'the root or a path ending in .. exists')
      if (from.kind === 'entry') return fsp.link(from.host, to.host)
      if (await fsp.lstat(to.host).then(() => true, () => false)) return fail('EEXIST')
      return fail('EPERM', 'hard link to a directory')
    }))),

    mknod: (path, type, o = {}) =>
      (type === 'B' || type === 'C') && opts.deviceNodes !== true && !opts.readOnly
        ? TE.left(err('Unsupported', { what: `device nodes in this file tree (${path})` }))
        : mut(path, () => entry(path, 'EEXIST', async (l) => {
          if (type === '|') await makeFifo(l.host)
          else if (type === '=') await makeSocket(l.dir, l.name)
          else await makeDevice(l.host, type, o.rdev ?? 0)
          await finish(l.host, { ...o, mode: o.mode ?? 0o644 }, false)
        })),

    unlink: (path) => mut(path, () => entry(path, 'EISDIR', async (l) => {
      if ((await fsp.lstat(l.host)).isDirectory()) fail('EISDIR', 'is a directory')
      await fsp.unlink(l.host)
    })),

    rmdir: (path) => mut(path, () => entry(path, 'EINVAL', (l) => fsp.rmdir(l.host))),

    // as rename(2): both walks first, then the source must be a name of its own and exist; onto the root: EINVAL for a directory, else EISDIR
    rename: (from, to) => mut(from, () => at(from, (a) => at(to, async (b) => {
      if (a.kind !== 'entry') return fail('EINVAL', 'cannot rename the root or a path ending in ..')
      const isDir = (await fsp.lstat(a.host)).isDirectory()
      if (b.kind !== 'entry') return fail(isDir ? 'EINVAL' : 'EISDIR', 'cannot rename onto the root or a path ending in ..')
      return fsp.rename(a.host, b.host)
    }))),

    chmod: (path, mode) => mut(path, () => at(path, async (l) => {
      // Linux keeps no mode on symlinks (always 0777): nothing to change, and chmod(2) would follow it
      if (!(await fsp.lstat(l.host)).isSymbolicLink()) await fsp.chmod(l.host, mode & 0o7777)
    })),

    chown: (path, uid, gid) => mut(path, () => at(path, (l) => fsp.lchown(l.host, uid, gid))),

    utimes: (path, mtimeMs) => mut(path, () => at(path, (l) => fsp.lutimes(l.host, timeArg(mtimeMs), timeArg(mtimeMs)))),

    listXattrs: (path) => xattr(path, false, (x, host) => x.list(host)),
    getXattr: (path, name) => xattr(path, false, (x, host) => x.get(host, name)),
    setXattr: (path, name, value) => xattr(path, true, (x, host) => x.set(host, name, value)),
    removeXattr: (path, name) => xattr(path, true, (x, host) => x.remove(host, name)),
  }
}
