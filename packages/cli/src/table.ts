/**
 * `ls` output like `zfs list`: a header and aligned columns; `-H` drops the header and separates
 * fields by one tab; `-p` prints exact numbers (bytes, seconds since the epoch); `-o a,b` picks
 * columns. Digests are short (12 hex digits) in the default table and full once `-o` names columns.
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type StorageError } from '@stratum/core'

export interface TableOptions {
  /** -H: no header, tab-separated */
  readonly scripted: boolean
  /** -p: exact numbers */
  readonly exact: boolean
  /** -o: the columns, in order */
  readonly columns: readonly string[] | undefined
}

/** How a cell is printed: full digests and exact numbers, or the short human forms. */
export interface CellStyle {
  readonly fullIds: boolean
  readonly exact: boolean
}

export interface Column<R> {
  readonly name: string
  readonly cell: (row: R, style: CellStyle) => string
}

/** `sha256:<hex>` as its first 12 hex digits (unless full); anything else as it is; `-` for none. */
export const id = (s: string | undefined, style: CellStyle): string =>
  s === undefined ? '-' : style.fullIds ? s : s.replace(/^sha256:([0-9a-f]{12})[0-9a-f]{52}$/, '$1')

const UNITS = ['B', 'K', 'M', 'G', 'T', 'P']

/** Bytes as `zfs list` prints them (`1.50K`, `12.3M`), or exact. */
export const size = (n: number | undefined, style: CellStyle): string => {
  if (n === undefined) return '-'
  if (style.exact) return String(n)
  let v = n
  let u = 0
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024
    u += 1
  }
  return u === 0 ? `${v}B` : `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)}${UNITS[u]}`
}

/** An ISO 8601 time as an age (`5 minutes ago`), or exact seconds since the epoch. */
export const age = (iso: string | undefined, style: CellStyle, now: number = Date.now()): string => {
  const t = iso === undefined ? Number.NaN : Date.parse(iso)
  if (Number.isNaN(t)) return '-'
  if (style.exact) return String(Math.floor(t / 1000))
  const s = Math.max(0, Math.floor((now - t) / 1000))
  const [n, unit] =
    s < 60
      ? [s, 'second']
      : s < 3600
        ? [Math.floor(s / 60), 'minute']
        : s < 86400
          ? [Math.floor(s / 3600), 'hour']
          : [Math.floor(s / 86400), 'day']
  return `${n} ${unit}${n === 1 ? '' : 's'} ago`
}

/** The table's lines (none for no rows), or InvalidName for a column `-o` named that does not exist. */
export const table = <R>(
  columns: readonly Column<R>[],
  rows: readonly R[],
  o: TableOptions,
): E.Either<StorageError, readonly string[]> => {
  const byName = new Map(columns.map((c) => [c.name, c]))
  const chosen: Column<R>[] = []
  for (const name of o.columns ?? columns.map((c) => c.name)) {
    const c = byName.get(name)
    if (c === undefined)
      return E.left(err('InvalidName', { name, reason: `no such column; columns: ${[...byName.keys()].join(',')}` }))
    chosen.push(c)
  }
  if (rows.length === 0) return E.right([])
  const style: CellStyle = { fullIds: o.columns !== undefined, exact: o.exact }
  const cells = rows.map((r) => chosen.map((c) => c.cell(r, style)))
  if (o.scripted) return E.right(cells.map((line) => line.join('\t')))
  const all = [chosen.map((c) => c.name.toUpperCase()), ...cells]
  const widths = chosen.map((_, i) => Math.max(...all.map((line) => line[i]!.length)))
  return E.right(all.map((line) => line.map((c, i) => (i === line.length - 1 ? c : c.padEnd(widths[i]!))).join('  ')))
}
