/**
 * `hostFileTree(rootDir)`: the core's FileTree over a host directory (a mounted dataset,
 * a snapshot's `.zfs/snapshot/<s>` directory, or any export target). Confinement and
 * no-follow rules: see resolve.ts; the directories kept open between calls: dir-cache.ts;
 * names as bytes: host-names.ts; errno mapping: errno.ts; extended attributes: xattrs.ts.
 * Calls are synchronous system calls (one short syscall each beats a thread-pool round trip);
 * a directory's Stat is answered from the cache while this tree has not changed it.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { resolve as resolvePath } from 'node:path'
import { err, type FileTree, type FileTreeNow, type FsCode, type Stat, type StorageError } from '@stratum/core'
import { asyncCall, syncCall, trySync } from './call.js'
import { fail, toStorageError } from './errno.js'
import { openForRead, readFrom, regularIno, writeBytes, writeContent, writeSource } from './content.js'
import { sourceOf } from './copy-fd.js'
import { type At, cName, libcCalls, pathCalls } from './host-calls.js'
import { fromHost } from './host-names.js'
import { lastFile } from './last-file.js'
import { callError, libc } from './libc.js'
import { canPin, makeResolver, type Located } from './resolve.js'
import { xattrBinding } from './xattr-binding.js'
import { type Client, MAX_QUEUED_BYTES, SET_META, waitForWriter, WRITE_FILE, writerClient } from './writer-thread.js'
import { xattrOps, type XattrOps } from './xattrs.js'

/** Options of `hostFileTree`. */
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
  /** calls relative to the pinned descriptors through the C library (default and at most: where the binding loads, hostfs/libc.ts, and directories are pinned); otherwise Node's calls through /proc */
  readonly native?: boolean
}

type Entry = Extract<Located, { kind: 'entry' }>

const EMPTY = new Uint8Array(0)
const SHORT_RUN = 16
const DIRECT_RUN = 64

/** The `FileTree` of a host directory, root-confined (openat2-style resolution). */
export const hostFileTree = (rootDir: string, opts: HostFileTreeOptions): FileTree => {
  const root = resolvePath(rootDir)
  const reserved = opts.reservedRootNames ?? []
  const c = opts.native === false ? undefined : libc()
  const calls = c === undefined ? pathCalls : libcCalls(c)
  const resolver = makeResolver(root, { reservedRootNames: reserved }, opts.pin ?? canPin(), calls)
  const cache = resolver.cache
  const seen = lastFile()
  /** this tree's queue on the writer thread, once it wrote a file there (null: the thread cannot start) */
  let writer: Client | null | undefined
  /** calls queued since the last wait for them, and calls still to be made at once instead */
  let queuedRun = 0
  let direct = 0
  /** Waits for the calls queued (of every tree); after a short run of them the next few are made at once: queueing pays only for runs the thread can work through while this thread goes on. */
  const waitQueued = (): void => {
    if (queuedRun > 0 && queuedRun < SHORT_RUN) direct = DIRECT_RUN
    queuedRun = 0
    waitForWriter()
  }

  /** Runs `f` on the located path and ends the call's hold on the pinned directory after; after the queued writes are made, unless `ordered` is false (the caller's name is not queued). */
  const at = <A>(path: string, f: (l: Located) => A, ordered = true): A => {
    if (ordered) waitQueued()
    const l = resolver.locateSync(path)
    try {
      return f(l)
    } finally {
      l.free()
    }
  }
  /** `at` for an `f` that ends later: the hold ends when it settles. */
  const atAsync = async <A>(path: string, f: (l: Located) => Promise<A>): Promise<A> => {
    waitQueued()
    const l = resolver.locateSync(path)
    try {
      return await f(l)
    } finally {
      l.free()
    }
  }
  /** `f` for a located path that must name an entry; `ifDir` when it names the root or ends in '..'. */
  const named =
    <A>(ifDir: FsCode, f: (l: Entry) => A) =>
    (l: Located): A =>
      l.kind === 'entry' ? f(l) : fail(ifDir, 'not a name of its own (the root or a path ending in ..)')

  const refused = (path: string): StorageError => err('Io', { code: 'EROFS', path, message: 'read-only file tree' })
  /** A mutating operation, run now: EROFS on a read-only tree before anything is looked at; other trees over these files forget theirs. */
  const mutNow = <A>(path: string, f: () => A): E.Either<StorageError, A> =>
    opts.readOnly
      ? E.left(refused(path))
      : trySync(path, () => {
          try {
            return f()
          } finally {
            seen.forget()
            cache?.changed()
          }
        })
  const mut =
    <A>(path: string, f: () => A): TE.TaskEither<StorageError, A> =>
    () =>
      Promise.resolve(mutNow(path, f))
  const mutAsync = <A>(path: string, f: () => Promise<A>): TE.TaskEither<StorageError, A> =>
    opts.readOnly
      ? TE.left(refused(path))
      : asyncCall(path, async () => {
          seen.forget()
          try {
            return await f()
          } finally {
            seen.forget()
            cache?.changed()
          }
        })

  /** The cached node of the directory `l` names, if any. */
  const dirNode = (l: Located) => (l.kind === 'dir' ? l.node : l.node?.children.get(l.name))
  /** An entry of `l`'s directory was created or removed: its Stat is stale; `dropped`: the name's node too. */
  const entryChanged = (l: Entry, dropped: boolean): void => {
    if (l.node === undefined) return
    if (dropped) cache!.dropEntry(l.node, l.name)
    else cache!.dropStat(l.node)
  }
  /** The object `l` names changed (owner, mode, times, attributes). */
  const objectChanged = (l: Located): void => {
    const n = dirNode(l)
    if (n !== undefined) cache!.dropObject(n)
  }

  /** Owner, mode and time for a just-created entry (lchown first: chown clears setuid bits). */
  const finish = (
    at: At,
    o: { uid?: number; gid?: number; mtimeMs?: number },
    mode: number | undefined,
    isLink: boolean,
  ): void => {
    if (o.uid !== undefined || o.gid !== undefined) calls.lchown(at, o.uid ?? -1, o.gid ?? -1)
    if (!isLink && mode !== undefined) calls.chmod(at, mode & 0o7777)
    if (o.mtimeMs !== undefined) calls.lutimes(at, o.mtimeMs)
  }

  /** undefined for a missing entry, without an exception (the applier asks this of every new name); a regular file found at `path` is remembered for `read` */
  const lstatOrMissing = (l: Located, path?: string): Stat | undefined => {
    const n = dirNode(l)
    if (n?.stat !== undefined) return n.stat
    const raw = calls.lstat(l.at)
    if (raw === undefined) return undefined
    const st = raw.stat
    if (n !== undefined && st.type === '/') n.stat = st
    if (path !== undefined && st.type === 'F' && l.kind === 'entry' && l.node !== undefined)
      seen.seen(path, l.node, l.at, raw.ino)
    return st
  }
  const lstatAt = (l: Located): Stat => lstatOrMissing(l) ?? fail('ENOENT', 'no such file or directory')

  const binding = opts.xattrs === false ? undefined : xattrBinding()
  const xa = binding === undefined ? undefined : xattrOps(binding)
  /** an xattr call on the located entry itself (the root too), or Unsupported */
  const xattr = <A>(
    path: string,
    change: boolean,
    f: (x: XattrOps, host: string) => Promise<A>,
  ): TE.TaskEither<StorageError, A> =>
    xa === undefined
      ? TE.left(err('Unsupported', { what: 'extended attributes (hostFileTree)' }))
      : (change ? mutAsync : asyncCall)(path, () =>
          atAsync(path, async (l) => {
            if (typeof l.host !== 'string')
              return fail(
                'EINVAL',
                'extended attributes of a path that is not UTF-8 (the host binding takes text paths)',
              )
            const r = await f(xa, l.host)
            if (change) objectChanged(l)
            return r
          }),
        )

  /**
   * A call on `path` queued on the writer thread by `queue` (which ends the located path's hold
   * when done); undefined where there is no thread (not the native pinned route, or it cannot start).
   */
  const later = (
    path: string,
    queue: (l: Entry, w: Client, fd: number) => boolean,
  ): E.Either<StorageError, void> | undefined => {
    if (c === undefined || cache === undefined) return undefined
    if (direct > 0) {
      direct--
      return undefined
    }
    queuedRun++
    writer ??= writerClient() ?? null
    const w = writer
    if (w === null) return undefined
    return mutNow(path, () => {
      const l = resolver.locateSync(path)
      let held = false
      try {
        if (l.kind !== 'entry') return fail('EEXIST', 'not a name of its own (the root or a path ending in ..)')
        held = queue(l, w, l.at.fd!)
        if (!held) fail('EIO', 'a call queued before this one failed')
        entryChanged(l, false)
      } finally {
        if (!held) l.free()
      }
    })
  }

  const now: FileTreeNow = {
    // a directory's host path ends in '/.', which also mounts an automounted root (a snapshot) first
    lstat: (path) => {
      const st = trySync(path, () => at(path, (l) => lstatOrMissing(l, path)))
      return E.isRight(st) && st.right === undefined
        ? E.left(err('Io', { code: 'ENOENT', path, message: 'no such file or directory' }))
        : (st as E.Either<StorageError, Stat>)
    },
    mkdir: (path, o = {}) =>
      mutNow(path, () =>
        at(
          path,
          named('EEXIST', (l) => {
            calls.mkdir(l.at, 0o700)
            entryChanged(l, false)
            finish(l.at, o, o.mode ?? 0o755, false)
          }),
          false,
        ),
      ),
    // the root as the target: O_CREAT|O_EXCL on an existing directory is EEXIST, O_TRUNC or O_APPEND on one EISDIR
    writeFile: (path, content, o = {}) =>
      mutNow(path, () =>
        at(
          path,
          named((o.flag ?? 'create') === 'create' ? 'EEXIST' : 'EISDIR', (l) => {
            if (writeBytes(calls, l.at, content, o)) entryChanged(l, false)
          }),
          false,
        ),
      ),
    symlink: (target, path, o = {}) =>
      mutNow(path, () =>
        at(
          path,
          named('EEXIST', (l) => {
            calls.symlink(target, l.at)
            entryChanged(l, true)
            finish(l.at, o, undefined, true)
          }),
          false,
        ),
      ),
    // on the native route, a small new file goes to the writer thread (writer-thread.ts), holding its directory open until made
    writeLater: (path, content, o, label) =>
      content.length > MAX_QUEUED_BYTES || (o.flag ?? 'create') !== 'create'
        ? now.writeFile(path, content, o)
        : (later(path, (l, w, fd) =>
            w.queue(WRITE_FILE, fd, cName(l.name), content, { ...o, mode: (o.mode ?? 0o644) & 0o7777 }, path, label, l),
          ) ?? now.writeFile(path, content, o)),
    // the directory made now (its children go in it at once) with its owner, its mode set on the writer thread
    mkdirLater: (path, o, label) =>
      (o.mtimeMs === undefined
        ? later(path, (l, w, fd) => {
            calls.mkdir(l.at, 0o700)
            // the owner at once: a file written in it now, by this thread, must see the directory's owner and group
            if (o.uid !== undefined || o.gid !== undefined) calls.lchown(l.at, o.uid ?? -1, o.gid ?? -1)
            return w.queue(SET_META, fd, cName(l.name), EMPTY, { mode: (o.mode ?? 0o755) & 0o7777 }, path, label, l)
          })
        : undefined) ?? now.mkdir(path, o),
    settle: () => {
      const f = writer?.settle()
      return f === undefined
        ? E.right(undefined)
        : E.left({ label: f.label, error: toStorageError(f.path)(callError(f.errno, f.call)) })
    },
  }

  /** A call of `now` that does not wait for the queued calls, as a task that does. */
  const inOrder =
    <A>(f: () => E.Either<StorageError, A>): TE.TaskEither<StorageError, A> =>
    () => {
      waitQueued()
      return Promise.resolve(f())
    }

  return {
    readOnly: opts.readOnly,
    now,

    lstat: (path) => () => Promise.resolve(now.lstat(path)),

    readdir: (path) =>
      syncCall(path, () =>
        at(path, (l) => {
          if (lstatAt(l).type !== '/') fail('ENOTDIR', 'not a directory')
          const names = calls.readdir(l.at).sort(Buffer.compare).map(fromHost)
          return l.kind === 'dir' && l.isRoot ? names.filter((n) => !reserved.includes(n)) : names
        }),
      ),

    // readlink(2) itself: EINVAL for anything but a symlink
    readlink: (path) =>
      syncCall(path, () =>
        at(
          path,
          named('EINVAL', (l) => fromHost(calls.readlink(l.at))),
        ),
      ),

    // checked now (or just now by lstat); opened when iteration starts (in the directory pinned then while this tree's cache keeps it, else through a fresh confined walk), closed when it ends
    read: (path) =>
      syncCall(path, () => {
        const {
          dir,
          at: where,
          ino,
        } = seen.of(path) ??
        at(
          path,
          named('EISDIR', (l) => ({ dir: l.node, at: l.at, ino: regularIno(calls, l.at) })),
        )
        return readFrom(() =>
          dir !== undefined && !dir.detached
            ? openForRead(calls, where, ino)
            : at(
                path,
                named('EISDIR', (l) => openForRead(calls, l.at, ino)),
              ),
        )
      }),

    // another host tree's file is written synchronously, other streams as they come; bytes: see `now`
    writeFile: (path, content, o = {}) => {
      if (content instanceof Uint8Array) return inOrder(() => now.writeFile(path, content, o))
      const ifDir = (o.flag ?? 'create') === 'create' ? 'EEXIST' : 'EISDIR'
      const source = sourceOf(content)
      return source !== undefined
        ? mut(path, () =>
            at(
              path,
              named(ifDir, (l) => {
                if (writeSource(calls, l.at, source, o, c)) entryChanged(l, false)
              }),
            ),
          )
        : mutAsync(path, () =>
            atAsync(
              path,
              named(ifDir, async (l) => {
                if (await writeContent(calls, l.at, content, o)) entryChanged(l, false)
              }),
            ),
          )
    },

    mkdir: (path, o) => inOrder(() => now.mkdir(path, o)),

    symlink: (target, path, o) => inOrder(() => now.symlink(target, path, o)),

    // as linkat(2): the source is looked up, then the new name (EEXIST, walk errors), and only then is a directory source refused
    link: (existing, path) =>
      mut(path, () =>
        at(existing, (from) =>
          at(path, (to) => {
            if (to.kind !== 'entry') return fail('EEXIST', 'the root or a path ending in .. exists')
            if (from.kind === 'entry') {
              calls.link(from.at, to.at)
              return entryChanged(to, false)
            }
            if (calls.lstat(to.at) !== undefined) return fail('EEXIST')
            return fail('EPERM', 'hard link to a directory')
          }),
        ),
      ),

    mknod: (path, type, o = {}) =>
      (type === 'B' || type === 'C') && opts.deviceNodes !== true && !opts.readOnly
        ? TE.left(err('Unsupported', { what: `device nodes in this file tree (${path})` }))
        : mutAsync(path, () =>
            atAsync(
              path,
              named('EEXIST', async (l) => {
                await calls.mknod(l.at, type, o.rdev ?? 0)
                entryChanged(l, false)
                finish(l.at, o, o.mode ?? 0o644, false)
              }),
            ),
          ),

    // unlink(2) on Linux: EISDIR for a directory
    unlink: (path) =>
      mut(path, () =>
        at(
          path,
          named('EISDIR', (l) => {
            calls.unlink(l.at)
            entryChanged(l, true)
          }),
        ),
      ),

    rmdir: (path) =>
      mut(path, () =>
        at(
          path,
          named('EINVAL', (l) => {
            calls.rmdir(l.at)
            entryChanged(l, true)
          }),
        ),
      ),

    // as rename(2): both walks first, then the source must be a name of its own and exist; onto the root: EINVAL for a directory, else EISDIR
    rename: (from, to) =>
      mut(from, () =>
        at(from, (a) =>
          at(to, (b) => {
            if (a.kind !== 'entry') return fail('EINVAL', 'cannot rename the root or a path ending in ..')
            const isDir = lstatAt(a).type === '/'
            if (b.kind !== 'entry')
              return fail(isDir ? 'EINVAL' : 'EISDIR', 'cannot rename onto the root or a path ending in ..')
            calls.rename(a.at, b.at)
            entryChanged(a, true)
            entryChanged(b, true)
          }),
        ),
      ),

    chmod: (path, mode) =>
      mut(path, () =>
        at(path, (l) => {
          // Linux keeps no mode on symlinks (always 0777): nothing to change, and chmod(2) would follow it
          if (lstatAt(l).type === '@') return
          calls.chmod(l.at, mode & 0o7777)
          objectChanged(l)
        }),
      ),

    chown: (path, uid, gid) =>
      mut(path, () =>
        at(path, (l) => {
          calls.lchown(l.at, uid, gid)
          objectChanged(l)
        }),
      ),

    utimes: (path, mtimeMs) =>
      mut(path, () =>
        at(path, (l) => {
          calls.lutimes(l.at, mtimeMs)
          objectChanged(l)
        }),
      ),

    listXattrs: (path) => xattr(path, false, (x, host) => x.list(host)),
    getXattr: (path, name) => xattr(path, false, (x, host) => x.get(host, name)),
    setXattr: (path, name, value) => xattr(path, true, (x, host) => x.set(host, name, value)),
    removeXattr: (path, name) => xattr(path, true, (x, host) => x.remove(host, name)),
  }
}
