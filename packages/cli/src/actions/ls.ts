/** `stratum ls` (commands/ls.ts): the store's listing as a table or rows, containers and images filtered by label. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { type ContainerInfo, err, type ImageRecord, type LayerInfo, type Labels } from '@stratum/core'
import { matchesLabels } from '@stratum/core/internal'
import type { Action } from '../command.js'
import { report } from '../report.js'
import { age, type Column, id, size, table, type TableOptions } from '../table.js'

/** The options of `ls` as commander parsed them. */
export interface LsOptions {
  readonly H: boolean
  readonly p: boolean
  readonly o?: readonly string[]
  readonly filter: readonly string[]
}

const LAYERS: readonly Column<LayerInfo>[] = [
  { name: 'chainid', cell: (l, s) => id(l.chainId, s) },
  { name: 'parent', cell: (l, s) => id(l.parent, s) },
  { name: 'diffid', cell: (l, s) => id(l.diffId, s) },
  { name: 'state', cell: (l) => l.state ?? '-' },
  { name: 'size', cell: (l, s) => size(l.size, s) },
  { name: 'referenced', cell: (l, s) => size(l.referenced, s) },
  { name: 'created', cell: (l, s) => age(l.created, s) },
]

const labelCell = (l: Labels | undefined): string =>
  l === undefined || Object.keys(l).length === 0
    ? '-'
    : Object.entries(l)
        .map(([k, v]) => `${k}=${v}`)
        .join(',')

/** `--filter label=k` or `label=k=v` (repeatable, all must hold): the label filters, else InvalidName naming the filter. */
const labelFilters = (fs: readonly string[]) => {
  const bad = fs.find((f) => !f.startsWith('label=') || f.length === 'label='.length)
  return bad === undefined
    ? TE.right(fs.map((f) => f.slice('label='.length)))
    : TE.left(err('InvalidName', { name: bad, reason: "a filter is 'label=key' or 'label=key=value'" }))
}

const CONTAINERS: readonly Column<ContainerInfo>[] = [
  { name: 'id', cell: (c) => c.id },
  { name: 'layer', cell: (c, s) => id(c.parent, s) },
  { name: 'size', cell: (c, s) => size(c.size, s) },
  { name: 'referenced', cell: (c, s) => size(c.referenced, s) },
  { name: 'created', cell: (c, s) => age(c.created, s) },
  { name: 'labels', cell: (c) => labelCell(c.labels) },
]

const IMAGES: readonly Column<ImageRecord>[] = [
  { name: 'name', cell: (i) => i.name },
  { name: 'top', cell: (i, s) => id(i.top, s) },
  { name: 'manifest', cell: (i, s) => id(i.manifest, s) },
  { name: 'platform', cell: (i) => i.platform ?? '-' },
  { name: 'created', cell: (i, s) => age(i.created, s) },
  { name: 'labels', cell: (i) => labelCell(i.labels) },
]

/** The rows as a table, and as `{ [key]: rows }` for --json. */
const listed =
  <R>(key: string, columns: readonly Column<R>[], o: TableOptions) =>
  (rows: readonly R[]) =>
    pipe(
      TE.fromEither(table(columns, rows, o)),
      TE.map((lines) => report({ [key]: rows }, lines)),
    )

export const lsAction =
  (what: string, o: LsOptions): Action =>
  (ctx) => {
    const opts: TableOptions = { scripted: o.H, exact: o.p, columns: o.o }
    if (what === 'layers') {
      if (o.filter.length > 0)
        return TE.left(
          err('InvalidName', { name: '--filter', reason: 'layers have no labels: filter containers or images' }),
        )
      return pipe(
        ctx.session('read'),
        TE.flatMap((s) => s.store.listLayers({ sizes: true })),
        TE.flatMap(listed('layers', LAYERS, opts)),
      )
    }
    if (what === 'containers') {
      return pipe(
        ctx.session('read'),
        TE.flatMap((s) => s.store.listContainers({ sizes: true })),
        TE.flatMap((rows) =>
          TE.map((fs: string[]) => rows.filter((r) => matchesLabels(r.labels, fs)))(labelFilters(o.filter)),
        ),
        TE.flatMap(listed('containers', CONTAINERS, opts)),
      )
    }
    if (what === 'images') {
      return pipe(
        ctx.session('read'),
        TE.flatMap((s) => s.store.listImages()),
        TE.flatMap((rows) =>
          TE.map((fs: string[]) => rows.filter((r) => matchesLabels(r.labels, fs)))(labelFilters(o.filter)),
        ),
        TE.flatMap(listed('images', IMAGES, opts)),
      )
    }
    return TE.left(err('InvalidName', { name: what, reason: "expected 'layers', 'containers' or 'images'" }))
  }
