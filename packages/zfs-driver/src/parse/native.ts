/**
 * `zfs get -p` rows of native properties -> the typed records of core's native.ts. A value
 * zfs prints that the type has no room for is an `Io` error showing it.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import type { CanMount, DatasetName, NativeProperties, SpaceInfo, StorageError } from '@stratum/core'
import type { GetRow } from './get.js'
import { badOutput } from './rows.js'

type Values = ReadonlyMap<string, string>

const valuesOf = (name: string, rows: readonly GetRow[]): Values =>
  new Map(rows.filter((r) => r.name === name).map((r) => [r.property, r.value]))

const field = <A>(
  v: Values,
  subject: string,
  prop: string,
  read: (s: string) => A | undefined,
): E.Either<StorageError, A> => {
  const s = v.get(prop)
  const a = s === undefined ? undefined : read(s)
  return a === undefined ? E.left(badOutput('zfs get', subject, s ?? '', `no valid value of ${prop}`)) : E.right(a)
}

const bytes = (s: string): number | undefined => (/^\d+$/.test(s) ? Number(s) : undefined)
/** zfs prints a quota of none as 0 under -p */
const quota = (s: string): number | null | undefined => (s === 'none' || s === '0' ? null : bytes(s))
const onOff = (s: string): boolean | undefined => (s === 'on' ? true : s === 'off' ? false : undefined)
const yesNo = (s: string): boolean | undefined => (s === 'yes' ? true : s === 'no' ? false : undefined)
const canmount = (s: string): CanMount | undefined => (s === 'on' || s === 'off' || s === 'noauto' ? s : undefined)
const mountpoint = (s: string): string | undefined =>
  s === 'legacy' || s === 'none' || s.startsWith('/') ? s : undefined

type Readers<T> = { readonly [K in keyof T]: (s: string) => T[K] | undefined }

/** One record from the rows of dataset `name`: each field read from the property of its name. */
const parseWith =
  <T>(readers: Readers<T>) =>
  (name: string, rows: readonly GetRow[]): E.Either<StorageError, T> => {
    const v = valuesOf(name, rows)
    const out: Partial<Record<keyof T, unknown>> = {}
    for (const k of Object.keys(readers) as (keyof T & string)[]) {
      const r = field(v, name, k, readers[k])
      if (E.isLeft(r)) return r
      out[k] = r.right
    }
    return E.right(out as T)
  }

export const parseNative = parseWith<NativeProperties>({
  mountpoint,
  canmount,
  mounted: yesNo,
  readonly: onOff,
  quota,
  refquota: quota,
})

export const parseSpace = parseWith<SpaceInfo>({ used: bytes, referenced: bytes, written: bytes, available: bytes })

/** `zfs get -r` rows of the space properties -> each filesystem's space, in zfs's order (the root among them). */
export const parseSpaceTree = (
  root: DatasetName,
  rows: readonly GetRow[],
): E.Either<StorageError, ReadonlyMap<DatasetName, SpaceInfo>> => {
  const byName = new Map<DatasetName, GetRow[]>()
  for (const r of rows) byName.set(r.name as DatasetName, [...(byName.get(r.name as DatasetName) ?? []), r])
  if (!byName.has(root)) return E.left(badOutput('zfs get', root, '', `no row of ${root}`))
  return pipe(
    [...byName],
    E.traverseArray(([n, own]) => E.map((s: SpaceInfo) => [n, s] as const)(parseSpace(n, own))),
    E.map((entries) => new Map(entries)),
  )
}
