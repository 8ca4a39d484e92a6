/**
 * Labels: key/value strings on containers and images. A container's are one user property,
 * `stratum:labels` (a JSON object) on runtime/<id>, set by the start's clone and changed by one
 * `zfs set`; an image's are its record's `labels` (images.ts), changed by rewriting the record.
 * Keys and values are parsed here (io-ts) at the boundary: see docs/DESIGN.md "Labels".
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { err, type StorageError } from '../errors.js'

/** Label keys: 1-128 of letters, digits and `._-/`, starting and ending with a letter or digit (reverse-DNS style). */
const KEY = /^[A-Za-z0-9](?:[A-Za-z0-9._/-]{0,126}[A-Za-z0-9])?$/

/** The JSON of a set of labels stays at most this long, so an image record stays under a user property's 8 KiB. */
export const MAX_LABELS_JSON = 4096

const MAX_VALUE = 1024

interface LabelKeyBrand {
  readonly LabelKey: unique symbol
}

export const LabelKey = t.brand(t.string, (s): s is t.Branded<string, LabelKeyBrand> => KEY.test(s), 'LabelKey')

interface LabelValueBrand {
  readonly LabelValue: unique symbol
}

/** Values: at most 1024 bytes, no control characters. */
export const LabelValue = t.brand(
  t.string,
  (s): s is t.Branded<string, LabelValueBrand> => Buffer.byteLength(s) <= MAX_VALUE && !/[\u0000-\u001f\u007f]/.test(s),
  'LabelValue',
)

/** A set of labels, key to value. */
export type Labels = Readonly<Record<string, string>>

/** What a `label` call changes: keys to set (to their values) and keys to drop. */
export interface LabelChange {
  readonly set?: Labels
  readonly drop?: readonly string[]
}

const invalid = (name: string, reason: string): StorageError => err('InvalidName', { name, reason })

const checkKey = (k: string): E.Either<StorageError, string> =>
  LabelKey.is(k)
    ? E.right(k)
    : E.left(invalid(k, 'a label key is 1-128 letters, digits and . _ - /, starting and ending with a letter or digit'))

const checkPair = (k: string, v: unknown): E.Either<StorageError, string> =>
  pipe(
    checkKey(k),
    E.flatMap(() =>
      typeof v === 'string' && LabelValue.is(v)
        ? E.right(v)
        : E.left(
            invalid(k, `the value of label '${k}' is a string of at most ${MAX_VALUE} bytes, no control characters`),
          ),
    ),
  )

/** Parses untrusted labels: every key and value checked, the whole at most MAX_LABELS_JSON of JSON. */
export const parseLabels = (u: unknown, what = 'labels'): E.Either<StorageError, Labels> => {
  if (typeof u !== 'object' || u === null || Array.isArray(u)) return E.left(invalid(what, 'labels are an object'))
  const out: Record<string, string> = {}
  for (const [k, v] of Object.entries(u)) {
    const r = checkPair(k, v)
    if (E.isLeft(r)) return r
    out[k] = r.right
  }
  return fitting(out, what)
}

/** `labels` when their JSON fits (MAX_LABELS_JSON), else LimitExceeded naming `what`. */
export const fitting = (labels: Labels, what: string): E.Either<StorageError, Labels> =>
  Buffer.byteLength(JSON.stringify(labels)) <= MAX_LABELS_JSON
    ? E.right(labels)
    : E.left(err('LimitExceeded', { what: `${what} (JSON bytes)`, limit: MAX_LABELS_JSON }))

/**
 * Parses `k=v` (set) and `k-` (drop) arguments, docker/podman/kubectl style. A key both set and
 * dropped, or a bare `k`, is InvalidName naming the argument.
 */
export const parseLabelArgs = (args: readonly string[]): E.Either<StorageError, LabelChange> => {
  const set: Record<string, string> = {}
  const drop: string[] = []
  for (const a of args) {
    const eq = a.indexOf('=')
    const r =
      eq > 0
        ? E.map((v: string) => void (set[a.slice(0, eq)] = v))(checkPair(a.slice(0, eq), a.slice(eq + 1)))
        : a.endsWith('-')
          ? E.map((k: string) => void drop.push(k))(checkKey(a.slice(0, -1)))
          : E.left(invalid(a, "a label argument is 'key=value' (set) or 'key-' (drop)"))
    if (E.isLeft(r)) return r
  }
  const both = drop.find((k) => k in set)
  if (both !== undefined) return E.left(invalid(both, `label '${both}' is both set and dropped`))
  return E.right({ set, drop })
}

/** Parses an untrusted LabelChange (a library caller's): `set` as labels, `drop` as keys. */
export const checkLabelChange = (u: unknown): E.Either<StorageError, LabelChange> => {
  if (typeof u !== 'object' || u === null) return E.left(invalid('label change', 'an object { set?, drop? }'))
  const { set, drop } = u as { set?: unknown; drop?: unknown }
  if (drop !== undefined && !(Array.isArray(drop) && drop.every((k) => typeof k === 'string')))
    return E.left(invalid('label change', 'drop is a list of label keys'))
  return pipe(
    set === undefined ? E.right({}) : parseLabels(set),
    E.flatMap((s) => {
      const bad = (drop ?? []).find((k: string) => E.isLeft(checkKey(k)))
      return bad === undefined ? E.right({ set: s, drop: (drop ?? []) as string[] }) : E.map(() => ({}))(checkKey(bad))
    }),
  )
}

/** `labels` with `change` applied, checked again as a whole. */
export const changeLabels = (labels: Labels, change: LabelChange, what: string): E.Either<StorageError, Labels> =>
  pipe(
    parseLabels({ ...labels, ...change.set }, what),
    E.map((l) => Object.fromEntries(Object.entries(l).filter(([k]) => !(change.drop ?? []).includes(k)))),
  )

/** A recorded label property: the labels, or none when it is missing or does not decode (never fatal). */
export const readLabels = (value: string | undefined): Labels | undefined => {
  if (value === undefined) return undefined
  const parsed = E.tryCatch(
    () => JSON.parse(value) as unknown,
    () => undefined,
  )
  if (E.isLeft(parsed)) return undefined
  const labels = parseLabels(parsed.right)
  return E.isRight(labels) && Object.keys(labels.right).length > 0 ? labels.right : undefined
}

/** Whether `labels` pass every filter: `k` (has the key) or `k=v` (has it with that value). */
export const matchesLabels = (labels: Labels | undefined, filters: readonly string[]): boolean =>
  filters.every((f) => {
    const eq = f.indexOf('=')
    const k = eq < 0 ? f : f.slice(0, eq)
    return labels?.[k] !== undefined && (eq < 0 || labels[k] === f.slice(eq + 1))
  })
