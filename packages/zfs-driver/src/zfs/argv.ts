/**
 * The argv (after `zfs`) of every command the driver runs. Pure: built only from the
 * core's branded names and user property names, so no argument can start with '-'
 * (names begin with a letter) and no shell ever sees them.
 */
import {
  nativeValueText,
  type AnyName,
  type DatasetName,
  type PropertyName,
  type SettableNative,
  type SnapshotName,
} from '@stratum/core'

export type Props = Readonly<Record<string, string>>

const setOpts = (props: Props | undefined): string[] =>
  Object.entries(props ?? {}).flatMap(([k, v]) => ['-o', `${k}=${v}`])

/** Columns of `zfs list`: createtxg gives the creation order of snapshots; clones is a snapshot property. */
export const LIST_COLUMNS = 'name,type,origin,createtxg,clones'
export const GET_COLUMNS = 'name,property,value,source'
const TYPES = 'filesystem,snapshot'
/** The native properties `getNative` reads, and the space ones `space` reads. */
export const NATIVE_COLUMNS = 'mountpoint,canmount,mounted,readonly,quota,refquota'
export const SPACE_COLUMNS = 'used,referenced,written,available'

/** `k=v` texts of settable native properties, in a fixed order. */
export const nativeAssignments = (n: SettableNative | undefined): string[] =>
  (['mountpoint', 'canmount', 'readonly', 'quota', 'refquota'] as const)
    .filter((k) => n?.[k] !== undefined)
    .map((k) => `${k}=${nativeValueText(k, n![k])}`)

const nativeOpts = (n: SettableNative | undefined): string[] => nativeAssignments(n).flatMap((a) => ['-o', a])

/** The zfs argv of every driver operation. */
export const zfsArgs = {
  /** zfs create [-p], with user and native properties */
  create: (name: DatasetName, parents: boolean, props: Props, native?: SettableNative): string[] => [
    'create',
    ...(parents ? ['-p'] : []),
    ...setOpts(props),
    ...nativeOpts(native),
    name,
  ],
  /** zfs snapshot [-r], with user properties */
  snapshot: (name: SnapshotName, recursive: boolean, props: Props | undefined): string[] => [
    'snapshot',
    ...(recursive ? ['-r'] : []),
    ...setOpts(props),
    name,
  ],
  /** zfs clone, with user and native properties */
  clone: (origin: SnapshotName, target: DatasetName, props: Props | undefined, native?: SettableNative): string[] => [
    'clone',
    ...setOpts(props),
    ...nativeOpts(native),
    origin,
    target,
  ],
  /** zfs promote */
  promote: (name: DatasetName): string[] => ['promote', name],
  /** zfs rename [-p] of a filesystem */
  rename: (from: DatasetName, to: DatasetName, parents: boolean): string[] => [
    'rename',
    ...(parents ? ['-p'] : []),
    from,
    to,
  ],
  /** zfs rename of a snapshot */
  renameSnapshot: (from: SnapshotName, to: SnapshotName): string[] => ['rename', from, to],
  /** zfs destroy [-r] [-R] */
  destroy: (name: AnyName, recursive: boolean, dependents: boolean): string[] => [
    'destroy',
    ...(recursive ? ['-r'] : []),
    ...(dependents ? ['-R'] : []),
    name,
  ],
  /** zfs list of one name (exit status tells) */
  exists: (name: AnyName): string[] => ['list', '-H', '-p', '-o', 'name', '-t', TYPES, name],
  /** zfs list -r of a tree, the columns `ListRow` parses */
  list: (root: DatasetName): string[] => ['list', '-H', '-p', '-o', LIST_COLUMNS, '-t', TYPES, '-r', root],
  /** every user property set or inherited anywhere under root (native ones are filtered out by the parser) */
  listProperties: (root: DatasetName): string[] => [
    'get',
    '-H',
    '-p',
    '-r',
    '-t',
    TYPES,
    '-s',
    'local,inherited',
    '-o',
    GET_COLUMNS,
    'all',
    root,
  ],
  /** zfs get of one user property */
  getProperty: (name: AnyName, prop: PropertyName): string[] => ['get', '-H', '-p', '-o', GET_COLUMNS, prop, name],
  /** zfs set of one user property */
  setProperty: (name: AnyName, prop: PropertyName, value: string): string[] => ['set', `${prop}=${value}`, name],
  /** zfs inherit of one user property */
  inheritProperty: (name: AnyName, prop: PropertyName): string[] => ['inherit', prop, name],
  /** mountpoint and mounted of a filesystem, plus a snapshot's row when one is asked (proves it exists) */
  mountInfo: (names: readonly AnyName[]): string[] => [
    'get',
    '-H',
    '-p',
    '-o',
    GET_COLUMNS,
    'mountpoint,mounted',
    ...names,
  ],
  /** zfs get of the native properties Stratum reads */
  getNative: (name: DatasetName): string[] => ['get', '-H', '-p', '-o', GET_COLUMNS, NATIVE_COLUMNS, name],
  /** several `k=v` in one `zfs set` (OpenZFS 0.8 and later) */
  setNative: (name: DatasetName, n: SettableNative): string[] => ['set', ...nativeAssignments(n), name],
  /** zfs get of the space properties */
  space: (name: DatasetName): string[] => ['get', '-H', '-p', '-o', GET_COLUMNS, SPACE_COLUMNS, name],
  /** zfs get -r of the space properties of a tree's filesystems */
  spaceTree: (root: DatasetName): string[] => [
    'get',
    '-H',
    '-p',
    '-r',
    '-t',
    'filesystem',
    '-o',
    GET_COLUMNS,
    SPACE_COLUMNS,
    root,
  ],
  /** zfs mount */
  mount: (name: DatasetName): string[] => ['mount', name],
  /** zfs unmount */
  unmount: (name: DatasetName): string[] => ['unmount', name],
  /** run by `zpool`: waits for the pool's open txg to sync, so space figures settle */
  sync: (pool: string): string[] => ['sync', pool],
  /** zfs diff -H -F between a snapshot and a later state */
  diff: (from: SnapshotName, to: AnyName): string[] => ['diff', '-H', '-F', from, to],
} as const
