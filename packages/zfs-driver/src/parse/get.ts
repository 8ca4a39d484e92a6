/**
 * `zfs get -H -p -o name,property,value,source` rows. A user property's value may hold
 * tabs and newlines (zfs prints it raw), so a record ends only where the accumulated text
 * ends in a valid source column and the next line starts a new `name\tproperty\t` record.
 */
import * as A from 'fp-ts/lib/Array.js'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { DatasetName, type AnyName, type StorageError } from '@stratum/core'
import { AnyNameC, badOutput, decodeWith, outputLines } from './rows.js'

export type RawSource =
  | { readonly kind: 'none' }
  | { readonly kind: 'local' }
  | { readonly kind: 'default' }
  | { readonly kind: 'temporary' }
  | { readonly kind: 'received' }
  | { readonly kind: 'inherited'; readonly from: DatasetName }

/** One row of `zfs get -Hp` output. */
export interface GetRow {
  readonly name: AnyName
  readonly property: string
  readonly value: string
  readonly source: RawSource
}

const SourceC = new t.Type<RawSource, string, unknown>(
  'Source',
  (u): u is RawSource => typeof u === 'object' && u !== null && 'kind' in u,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    switch (u) {
      case '-':
        return t.success({ kind: 'none' })
      case 'local':
        return t.success({ kind: 'local' })
      case 'default':
        return t.success({ kind: 'default' })
      case 'temporary':
        return t.success({ kind: 'temporary' })
      case 'received':
        return t.success({ kind: 'received' })
    }
    const m = /^inherited from (.+)$/.exec(u)
    return m !== null && DatasetName.is(m[1]) ? t.success({ kind: 'inherited', from: m[1] }) : t.failure(u, c)
  },
  (a) => (a.kind === 'none' ? '-' : a.kind === 'inherited' ? `inherited from ${a.from}` : a.kind),
)

const PropertyC = t.refinement(t.string, (s) => /^[a-z0-9_.:-]+$/.test(s), 'PropertyColumn')
const RowC = t.tuple([AnyNameC, PropertyC, t.string, SourceC])

const RECORD = /^([^\t\n]+)\t([^\t\n]+)\t([\s\S]*)\t(-|local|default|temporary|received|inherited from [^\t\n]+)$/
const STARTS_RECORD = /^[^\t]+\t[a-z0-9_.:-]+\t/

/** Joins the lines of multi-line values back into one record each. */
const records = (lines: readonly string[]): string[] => {
  const out: string[] = []
  let cur: string | undefined
  for (const line of lines) {
    if (cur === undefined) cur = line
    else if (RECORD.test(cur) && STARTS_RECORD.test(line)) {
      out.push(cur)
      cur = line
    } else cur = `${cur}\n${line}`
  }
  if (cur !== undefined) out.push(cur)
  return out
}

const decodeRecord =
  (subject: string) =>
  (rec: string): E.Either<StorageError, GetRow> => {
    const m = RECORD.exec(rec)
    if (m === null) return E.left(badOutput('zfs get', subject, rec, 'expected name<TAB>property<TAB>value<TAB>source'))
    return pipe(
      [m[1], m[2], m[3], m[4]],
      decodeWith(RowC, 'zfs get', subject, rec),
      E.map(([name, property, value, source]) => ({ name, property, value, source })),
    )
  }

/** Parses `zfs get -Hp` output about `subject`: Io (EIO) on malformed output. */
export const parseGet = (subject: string, text: string): E.Either<StorageError, GetRow[]> =>
  pipe(records(outputLines(text)), A.traverse(E.Applicative)(decodeRecord(subject)))

/** User properties are the ones with a ':' in their name (native ones never have one). */
export const isUserProperty = (p: string): boolean => p.includes(':')
