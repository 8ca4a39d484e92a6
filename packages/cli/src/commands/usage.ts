/**
 * `stratum usage`: settled space of every layer and container, one row each (kind, id, unique,
 * referenced, available, refquota, quota) as a table like `ls` (-H, -p, -o), or --json
 * `{ layers, containers }` (the library's StoreUsage).
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StoreUsage } from '@stratum/core'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'
import { type Column, id, parseColumns, size, table, type TableOptions } from '../table.js'

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

export const registerUsage: Register = (program, run) => {
  program
    .command('usage')
    .description('space of every layer and container: unique, referenced and available bytes, quotas')
    .option('-H', 'scripted: no header, fields separated by one tab', false)
    .option('-p', 'exact numbers (bytes)', false)
    .option('-o <columns>', 'comma-separated columns (digests then print in full)', parseColumns)
    .addHelpText('after', '\nColumns:\n  kind,id,unique,referenced,available,refquota,quota\n')
    .addHelpText('after', examplesHelp('stratum usage', 'stratum usage -Hp -o id,referenced,refquota'))
    .action((o: { H: boolean; p: boolean; o?: readonly string[] }) =>
      run((ctx) => {
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
      }),
    )
}
