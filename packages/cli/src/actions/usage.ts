/** `stratum usage` (commands/usage.ts): the store's usage as one table row per layer and container. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StoreUsage } from '@stratum/core'
import type { Action } from '../command.js'
import { report } from '../report.js'
import { type Column, id, size, table, type TableOptions } from '../table.js'

interface Row {
  readonly kind: 'layer' | 'container'
  readonly id: string
  readonly unique: number
  readonly referenced: number
  readonly available: number
  readonly refquota?: number | null
  readonly quota?: number | null
}

const limit = (n: number | null | undefined, s: Parameters<typeof size>[1]): string =>
  n === null || n === undefined ? '-' : size(n, s)

const COLUMNS: readonly Column<Row>[] = [
  { name: 'kind', cell: (r) => r.kind },
  { name: 'id', cell: (r, s) => id(r.id, s) },
  { name: 'unique', cell: (r, s) => size(r.unique, s) },
  { name: 'referenced', cell: (r, s) => size(r.referenced, s) },
  { name: 'available', cell: (r, s) => size(r.available, s) },
  { name: 'refquota', cell: (r, s) => limit(r.refquota, s) },
  { name: 'quota', cell: (r, s) => limit(r.quota, s) },
]

const rows = (u: StoreUsage): Row[] => [
  ...u.layers.map((l): Row => ({ kind: 'layer', id: l.chainId, ...l })),
  ...u.containers.map((c): Row => ({ kind: 'container', ...c })),
]

export const usageAction =
  (o: { H: boolean; p: boolean; o?: readonly string[] }): Action =>
  (ctx) => {
    const opts: TableOptions = { scripted: o.H, exact: o.p, columns: o.o }
    return pipe(
      ctx.session('read'),
      TE.flatMap((s) => s.store.usage()),
      TE.flatMap((u) =>
        pipe(
          TE.fromEither(table(COLUMNS, rows(u), opts)),
          TE.map((lines) => report({ layers: u.layers, containers: u.containers }, lines)),
        ),
      ),
    )
  }
