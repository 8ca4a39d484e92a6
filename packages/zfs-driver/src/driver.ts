/**
 * The real driver: every Driver operation is one or two `zfs` commands run through an
 * Executor, their output parsed at the boundary, their failures mapped to StorageError
 * tags by `zfs/errors.ts`. File trees are `hostFileTree`s over the mounted datasets.
 */
import type * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { stat } from 'node:fs/promises'
import {
  catchTag,
  datasetOf,
  err,
  isSnapshotName,
  parentOf,
  shortSnapshotOf,
  type AnyName,
  type Capabilities,
  type CreateDatasetOptions,
  type DatasetInfo,
  type DatasetName,
  type Driver,
  type FileTree,
  type PropertyValue,
  type SettableNative,
  type StorageError,
} from '@stratum/core'
import { compareBytes } from '@stratum/core/internal'
import { hostFileTree } from './hostfs/tree.js'
import { withQuotaErrors } from './quota-errors.js'
import { checkSettable, nativeOps } from './native-ops.js'
import { xattrSupport } from './hostfs/xattr-binding.js'
import { zfsArgs, type Props } from './zfs/argv.js'
import { localExecutor, type Executor } from './zfs/executor.js'
import { type MountTable, mountpointIn, procMountTable } from './zfs/mounts.js'
import { makeRunner, type Runner } from './zfs/run.js'
import { parseDiff } from './parse/diff.js'
import { isUserProperty, parseGet, type GetRow } from './parse/get.js'
import { parseList, sortZfsOrder, type ListRow } from './parse/list.js'

/** Options of `createZfsDriver`. */
export interface ZfsDriverOptions {
  /** runs argv; default: execFile of argv[0] (no shell) */
  readonly exec?: Executor
  /** prepended to every zfs argv, e.g. ['sudo'] */
  readonly sudo?: readonly string[]
  /**
   * `-o k=v` given to every `zfs create` (not to clones, which take creation-only properties
   * from their origin). See LAYER_STORE_PROPERTIES.
   */
  readonly createProperties?: Props
  /** the kernel's mount table, read to find mounted filesystems without a zfs process (default: /proc/self/mountinfo) */
  readonly mountTable?: MountTable
  /** override the declared capabilities (default: chown and device nodes when running as root, xattrs where `xattrSupport()`) */
  readonly capabilities?: Partial<Capabilities>
}

/**
 * What a layer store's base dataset (or its pool) must have: names are bytes (no case
 * folding, no normalization, not forced UTF-8) and reads do not dirty the diff. The first
 * three are creation-only and inherited, so setting them on the base is enough; pass them as
 * `createProperties` when creating the base (the conformance factory does).
 */
export const LAYER_STORE_PROPERTIES: Props = {
  casesensitivity: 'sensitive',
  normalization: 'none',
  utf8only: 'off',
  atime: 'off',
}

const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0

const fromEither = <A>(e: E.Either<StorageError, A>): TE.TaskEither<StorageError, A> => TE.fromEither(e)
const text = (b: Buffer): string => b.toString('utf8')

interface MountInfo {
  readonly mountpoint: string
  readonly mounted: boolean
}

/**
 * A `Driver` running the `zfs` command (no shell; `sudo` prepended when given). Failures are
 * `StorageError`s parsed from zfs's messages (DatasetNotFound, DatasetExists, HasChildren, ...),
 * Io for anything else (with zfs's message).
 *
 * @example
 * ```ts
 * const store = await openLayerStore(createZfsDriver({ sudo: ['sudo'] }), datasetName('tank/stratum'))()
 * ```
 */
export const createZfsDriver = (opts: ZfsDriverOptions = {}): Driver => {
  const run: Runner = makeRunner(opts.exec ?? localExecutor, opts.sudo ?? [])
  const zpool: Runner = makeRunner(opts.exec ?? localExecutor, opts.sudo ?? [], 'zpool')
  const createProps = opts.createProperties ?? {}
  const unit = TE.map((): void => undefined)
  const root = isRoot()
  const capabilities: Capabilities = {
    xattrs: xattrSupport(),
    deviceNodes: root && process.platform === 'linux',
    chown: root,
    mountpointDirectories: true,
    hostPaths: true,
    ...opts.capabilities,
  }

  const getRows = (args: string[], subject: string): TE.TaskEither<StorageError, GetRow[]> =>
    pipe(
      run(args, subject),
      TE.flatMap((out) => fromEither(parseGet(subject, text(out)))),
    )

  const mountInfo = (name: AnyName): TE.TaskEither<StorageError, MountInfo> => {
    const ds = isSnapshotName(name) ? datasetOf(name) : name
    return pipe(
      getRows(zfsArgs.mountInfo(isSnapshotName(name) ? [ds, name] : [ds]), name),
      TE.flatMap((rows) => {
        const mp = rows.find((r) => r.name === ds && r.property === 'mountpoint')
        const mounted = rows.find((r) => r.name === ds && r.property === 'mounted')
        return mp === undefined || mounted === undefined
          ? TE.left(err('Io', { code: 'EIO', path: name, message: `zfs get printed no mountpoint for '${ds}'` }))
          : TE.right({ mountpoint: mp.value, mounted: mounted.value === 'yes' })
      }),
    )
  }

  const mountTable = opts.mountTable ?? procMountTable

  /** The mountpoint and files of `name` from the mount table, when it shows the filesystem and the files can be entered. */
  const fromTable = async (
    name: AnyName,
  ): Promise<{ readonly mountpoint: string; readonly dir: string } | undefined> => {
    const table = await mountTable()
    const mountpoint =
      table === undefined ? undefined : mountpointIn(table, isSnapshotName(name) ? datasetOf(name) : name)
    if (mountpoint === undefined) return undefined
    const dir = filesOf(mountpoint, name)
    try {
      await stat(`${dir}/.`)
      return { mountpoint, dir }
    } catch {
      return undefined
    }
  }
  const tableHit = (name: AnyName): TE.TaskEither<StorageError, Awaited<ReturnType<typeof fromTable>>> =>
    TE.fromTask(() => fromTable(name))

  /** The directory holding the files of a mounted dataset or of one of its snapshots: the mount table's, else zfs get's. */
  const filesDir = (name: AnyName): TE.TaskEither<StorageError, string> =>
    pipe(
      tableHit(name),
      TE.flatMap((hit) => (hit !== undefined ? TE.right(hit.dir) : askedFilesDir(name))),
    )

  /** filesDir through `zfs get mountpoint,mounted`: the precise error when the table shows nothing. */
  const askedFilesDir = (name: AnyName): TE.TaskEither<StorageError, string> =>
    pipe(
      mountInfo(name),
      TE.flatMap(({ mountpoint, mounted }): TE.TaskEither<StorageError, string> => {
        if (!mountpoint.startsWith('/'))
          return TE.left(err('Unsupported', { what: `file tree of '${name}': mountpoint=${mountpoint}` }))
        if (!mounted)
          return TE.left(
            err('Io', { code: 'EIO', path: name, message: `'${name}' is not mounted (mountpoint ${mountpoint})` }),
          )
        return TE.right(filesOf(mountpoint, name))
      }),
      // walking into `<dir>/.` mounts a snapshot's directory (ZFS automounts it on access)
      TE.tap((dir) =>
        TE.tryCatch(
          () => stat(`${dir}/.`),
          (cause) =>
            err('Io', {
              code: 'EIO',
              path: name,
              message: `cannot enter the files of '${name}' at ${dir}: ${String(cause)}`,
              cause,
            }),
        ),
      ),
    )

  const exists: Driver['exists'] = (name) =>
    pipe(
      run(zfsArgs.exists(name), name),
      TE.map((out) => text(out).split('\n').includes(name)),
      catchTag('DatasetNotFound', () => TE.right(false)),
    )

  /** Right when `name`'s parent exists, else ParentNotFound naming `name`. */
  const parentThere = (name: DatasetName): TE.TaskEither<StorageError, void> => {
    const p = parentOf(name)
    return p === undefined
      ? TE.right(undefined)
      : pipe(
          exists(p),
          TE.flatMap((yes) => (yes ? TE.right(undefined) : TE.left(err('ParentNotFound', { name })))),
        )
  }

  const list = (rootName: DatasetName): TE.TaskEither<StorageError, readonly DatasetInfo[]> =>
    pipe(
      TE.Do,
      TE.bind('rows', () =>
        pipe(
          run(zfsArgs.list(rootName), rootName),
          TE.flatMap((o) => fromEither(parseList(rootName, text(o)))),
        ),
      ),
      TE.bind('props', () => getRows(zfsArgs.listProperties(rootName), rootName)),
      TE.map(({ rows, props }) => toInfos(sortZfsOrder(rows), props)),
    )

  const getProperty: Driver['getProperty'] = (name, prop) =>
    pipe(
      getRows(zfsArgs.getProperty(name, prop), name),
      TE.map((rows): PropertyValue | undefined => {
        const row = rows.find((r) => r.name === name && r.property === prop)
        if (row === undefined) return undefined
        switch (row.source.kind) {
          case 'none':
            return undefined
          case 'inherited':
            return { value: row.value, source: { kind: 'inherited', from: row.source.from } }
          default:
            return { value: row.value, source: { kind: 'local' } }
        }
      }),
    )

  const native = nativeOps(run, zpool, getRows)

  return {
    capabilities,
    create: (name, o) =>
      pipe(
        checkSettable(name, o?.native ?? {}),
        TE.flatMap(() =>
          run(zfsArgs.create(name, o?.parents ?? false, { ...createProps, ...o?.properties }, nativeOfCreate(o)), name),
        ),
        unit,
        TE.orElse((e) => (vanished(e) ? TE.left(err('ParentNotFound', { name })) : TE.left(e))),
      ),
    snapshot: (name, o) => pipe(run(zfsArgs.snapshot(name, o?.recursive ?? false, o?.properties), name), unit),
    clone: (origin, target, o) => {
      const cloneOnce = pipe(run(zfsArgs.clone(origin, target, o?.properties, o?.native), target), unit)
      return pipe(
        checkSettable(target, o?.native ?? {}),
        TE.flatMap(() => cloneOnce),
        // the origin or the parent was destroyed while zfs cloned: say which one is gone; when
        // both are still there (a destroy of the origin was under way and failed), clone again
        TE.orElse((e) =>
          !vanished(e)
            ? TE.left(e)
            : pipe(
                exists(origin),
                TE.flatMap((there) =>
                  there ? parentThere(target) : TE.left(err('DatasetNotFound', { name: origin })),
                ),
                TE.flatMap(() =>
                  pipe(
                    cloneOnce,
                    TE.mapLeft((again) => (vanished(again) ? err('DatasetNotFound', { name: origin }) : again)),
                  ),
                ),
              ),
        ),
      )
    },
    promote: (name) => pipe(run(zfsArgs.promote(name), name), unit),
    rename: (from, to, o) => pipe(run(zfsArgs.rename(from, to, o?.parents ?? false), from), unit),
    renameSnapshot: (from, to) =>
      // the contract checks "within one dataset" before existence; zfs opens the source first
      datasetOf(from) !== datasetOf(to)
        ? TE.left(err('InvalidName', { name: to, reason: 'snapshots must be part of same dataset' }))
        : pipe(run(zfsArgs.renameSnapshot(from, to), from), unit),
    destroy: (name, o) => pipe(run(zfsArgs.destroy(name, o?.recursive ?? false, o?.dependents ?? false), name), unit),
    exists,
    list,
    getProperty,
    setProperty: (name, prop, value) => pipe(run(zfsArgs.setProperty(name, prop, value), name), unit),
    inheritProperty: (name, prop) => pipe(run(zfsArgs.inheritProperty(name, prop), name), unit),
    ...native,
    // the mount table answers without a zfs process; zfs get gives the precise error
    hostPath: (name) =>
      pipe(
        tableHit(name),
        TE.flatMap((hit) => (hit !== undefined ? TE.right(hit.mountpoint) : native.hostPath(name))),
      ),
    diff: (from, to) =>
      pipe(
        // the to-dataset's mountpoint prefixes every path (and proves `to` exists); errors of the diff name `from`
        tableHit(to),
        TE.flatMap((hit) =>
          hit !== undefined
            ? TE.right(hit.mountpoint)
            : pipe(
                mountInfo(to),
                TE.map((m) => m.mountpoint),
              ),
        ),
        TE.flatMap((mountpoint) =>
          pipe(
            run(zfsArgs.diff(from, to), from),
            TE.flatMap((out) => fromEither(parseDiff(from, mountpoint, out))),
          ),
        ),
      ),
    fs: (name) =>
      pipe(
        filesDir(name),
        TE.map((dir): FileTree => {
          const tree = hostFileTree(dir, {
            readOnly: isSnapshotName(name),
            deviceNodes: capabilities.deviceNodes,
            xattrs: capabilities.xattrs,
            reservedRootNames: ['.zfs'],
          })
          return isSnapshotName(name) ? tree : withQuotaErrors(tree, name, native.getNative)
        }),
      ),
  }
}

/** The files of `name` under its filesystem's mountpoint: the mountpoint itself, or a snapshot's `.zfs/snapshot/<s>`. */
const filesOf = (mountpoint: string, name: AnyName): string =>
  isSnapshotName(name) ? `${mountpoint === '/' ? '' : mountpoint}/.zfs/snapshot/${shortSnapshotOf(name)}` : mountpoint

/** The native values of a create: noFiles is canmount=off (never mounted). */
const nativeOfCreate = (o: CreateDatasetOptions | undefined): SettableNative | undefined =>
  o?.noFiles === true ? { ...o.native, canmount: 'off' } : o?.native

/** ENOENT from a create or clone ioctl after libzfs's own checks passed: something vanished meanwhile (errors.ts). */
const vanished = (e: StorageError): boolean => e._tag === 'Io' && e.code === 'ENOENT'

/** Rows in zfs order plus the user properties of each, as DatasetInfo. */
const toInfos = (rows: readonly ListRow[], props: readonly GetRow[]): DatasetInfo[] => {
  const byName = new Map<string, Record<string, string>>()
  for (const p of props) {
    if (!isUserProperty(p.property) || p.source.kind === 'none') continue
    const rec = byName.get(p.name) ?? {}
    rec[p.property] = p.value
    byName.set(p.name, rec)
  }
  // zfs list cuts the clones column at 8 KiB: inside the listed tree the origins are the truth
  const listed = new Set(rows.map((r) => r.name as string))
  const clonesOf = new Map<string, DatasetName[]>()
  for (const r of rows) {
    if (r.origin !== null && r.type === 'filesystem')
      clonesOf.set(r.origin, [...(clonesOf.get(r.origin) ?? []), r.name as DatasetName])
  }
  return rows.map((r): DatasetInfo => {
    const outside = r.clones.filter((c) => !listed.has(c))
    const clones =
      r.type === 'snapshot' ? [...new Set([...(clonesOf.get(r.name) ?? []), ...outside])].sort(compareBytes) : []
    return { name: r.name, type: r.type, origin: r.origin, clones, properties: byName.get(r.name) ?? {} }
  })
}
