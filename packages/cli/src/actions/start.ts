/** `stratum start` (commands/start.ts): the limits and labels parsed, the container cloned from the layer by the store. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { StartOptions, StorageError } from '@stratum/core'
import { parseSize } from '../args.js'
import type { Action } from '../command.js'
import { report } from '../report.js'
import { labelsToSet } from './label.js'

/** The options of `start` as commander parsed them. */
export interface StartFlags {
  readonly refquota?: string
  readonly quota?: string
  readonly readonly: boolean
  readonly label: readonly string[]
}

const startOptions = (o: StartFlags): E.Either<StorageError, StartOptions> =>
  pipe(
    E.Do,
    E.bind('refquota', () => (o.refquota === undefined ? E.right(undefined) : parseSize('--refquota', o.refquota))),
    E.bind('quota', () => (o.quota === undefined ? E.right(undefined) : parseSize('--quota', o.quota))),
    E.bind('labels', () => labelsToSet(o.label)),
    E.map(({ refquota, quota, labels }) => ({
      ...(refquota === undefined ? {} : { refquota }),
      ...(quota === undefined ? {} : { quota }),
      ...(o.readonly ? { readonly: true } : {}),
      ...(Object.keys(labels).length === 0 ? {} : { labels }),
    })),
  )

export const startAction =
  (id: string, layerArg: string, o: StartFlags): Action =>
  (ctx) =>
    pipe(
      TE.fromEither(startOptions(o)),
      TE.bindTo('options'),
      TE.bind('session', () => ctx.session()),
      TE.bind('layer', ({ session }) => session.store.resolveLayer(layerArg)),
      TE.tap(({ layer, session, options }) => session.store.start(id, layer, options)),
      TE.map(({ layer }) => report({ container: id, layer }, [`started ${id} from ${layer}`])),
    )
