/**
 * The argv (after `zfs`) of every command the driver runs. Pure: built only from the
 * core's branded names and user property names, so no argument can start with '-'
 * (names begin with a letter) and no shell ever sees them.
 */
import type { AnyName, DatasetName, PropertyName, SnapshotName } from '@stratum/core'

export type Props = Readonly<Record<string, string>>

const setOpts = (props: Props | undefined): string[] =>
  Object.entries(props ?? {}).flatMap(([k, v]) => ['-o', `${k}=${v}`])

/** Columns of `zfs list`: createtxg gives the creation order of snapshots; clones is a snapshot property. */
export const LIST_COLUMNS = 'name,type,origin,createtxg,clones'
export const GET_COLUMNS = 'name,property,value,source'
const TYPES = 'filesystem,snapshot'

export const zfsArgs = {
  create: (name: DatasetName, parents: boolean, props: Props): string[] => [
    'create',
    ...(parents ? ['-p'] : []),
    ...setOpts(props),
    name,
  ],
  snapshot: (name: SnapshotName, recursive: boolean, props: Props | undefined): string[] => [
    'snapshot',
    ...(recursive ? ['-r'] : []),
    ...setOpts(props),
    name,
  ],
  clone: (origin: SnapshotName, target: DatasetName, props: Props | undefined): string[] => [
    'clone',
    ...setOpts(props),
    origin,
    target,
  ],
  promote: (name: DatasetName): string[] => ['promote', name],
  rename: (from: DatasetName, to: DatasetName, parents: boolean): string[] => [
    'rename',
    ...(parents ? ['-p'] : []),
    from,
    to,
  ],
  renameSnapshot: (from: SnapshotName, to: SnapshotName): string[] => ['rename', from, to],
  destroy: (name: AnyName, recursive: boolean, dependents: boolean): string[] => [
    'destroy',
    ...(recursive ? ['-r'] : []),
    ...(dependents ? ['-R'] : []),
    name,
  ],
  exists: (name: AnyName): string[] => ['list', '-H', '-p', '-o', 'name', '-t', TYPES, name],
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
  getProperty: (name: AnyName, prop: PropertyName): string[] => ['get', '-H', '-p', '-o', GET_COLUMNS, prop, name],
  setProperty: (name: AnyName, prop: PropertyName, value: string): string[] => ['set', `${prop}=${value}`, name],
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
  diff: (from: SnapshotName, to: AnyName): string[] => ['diff', '-H', '-F', from, to],
} as const
