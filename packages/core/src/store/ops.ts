/** Small driver idioms the store algorithms share. */
import * as A from 'fp-ts/lib/Array.js'
import { pipe } from 'fp-ts/lib/function.js'
import type * as T from 'fp-ts/lib/Task.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag } from '../catch-tag.js'
import type { DatasetInfo, Driver } from '../driver.js'
import type { StorageError } from '../errors.js'
import { type AnyName, type DatasetName, parentOf, type PropertyName, type SnapshotName } from '../names.js'

/** Creates `name` (with user `properties`); a concurrent creator winning is fine. */
export const createDataset = (
  d: Driver,
  name: DatasetName,
  properties: Readonly<Record<string, string>> = {},
): TE.TaskEither<StorageError, void> =>
  pipe(
    d.create(
      name,
      Object.keys(properties).length === 0 ? {} : { properties: properties as Record<PropertyName, string> },
    ),
    catchTag('DatasetExists', () => TE.right(undefined)),
  )

/** Takes snapshot `name`; a concurrent creator winning is fine. */
export const createSnapshot = (d: Driver, name: SnapshotName): TE.TaskEither<StorageError, void> =>
  pipe(
    d.snapshot(name),
    catchTag('DatasetExists', () => TE.right(undefined)),
  )

/** Publishes `from` as `to` by one rename: true, or false when a concurrent publisher won (`to` exists). */
export const publish = (d: Driver, from: DatasetName, to: DatasetName): TE.TaskEither<StorageError, boolean> =>
  pipe(
    d.rename(from, to),
    TE.as(true),
    catchTag('DatasetExists', () => TE.right(false)),
  )

/** Best-effort destroy for cleanup paths: never fails, reports whether it worked. */
export const destroyQuietly = (d: Driver, name: AnyName, recursive = true): T.Task<boolean> =>
  pipe(
    d.destroy(name, { recursive }),
    TE.match(
      () => false,
      () => true,
    ),
  )

export const setProps = (
  d: Driver,
  name: AnyName,
  props: Readonly<Record<string, string>>,
): TE.TaskEither<StorageError, void> =>
  pipe(
    Object.entries(props),
    A.map(([k, v]) => d.setProperty(name, k as PropertyName, v)),
    TE.sequenceSeqArray,
    TE.map(() => undefined),
  )

/** The filesystems directly below `parent`, with their snapshots. */
export interface Child {
  readonly info: DatasetInfo
  readonly snapshots: readonly DatasetInfo[]
}

/** The children of `parent` found in a listing of `parent` or of one of its ancestors. */
export const childrenIn = (all: readonly DatasetInfo[], parent: DatasetName): Child[] =>
  all
    .filter((i) => i.type === 'filesystem' && parentOf(i.name as DatasetName) === parent)
    .map((info) => ({
      info,
      snapshots: all.filter((s) => s.type === 'snapshot' && s.name.startsWith(`${info.name}@`)),
    }))

export const listChildren = (d: Driver, parent: DatasetName): TE.TaskEither<StorageError, Child[]> =>
  pipe(
    d.list(parent),
    TE.map((all) => childrenIn(all, parent)),
  )

/** A dataset with its own snapshots (list of one subtree, descendants excluded). */
export const describeDataset = (d: Driver, name: DatasetName): TE.TaskEither<StorageError, Child> =>
  pipe(
    d.list(name),
    TE.map((all) => ({
      info: all.find((i) => i.name === name)!,
      snapshots: all.filter((s) => s.type === 'snapshot' && s.name.startsWith(`${name}@`)),
    })),
  )
