/** `stratum view` (commands/view.ts): the store's read-only view of the layer, its id reported. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { report } from '../report.js'

export const viewAction =
  (layerArg: string, name: string | undefined): Action =>
  (ctx) =>
    pipe(
      ctx.session(),
      TE.bindTo('session'),
      TE.bind('layer', ({ session }) => session.store.resolveLayer(layerArg)),
      TE.bind('id', ({ session, layer }) => session.store.view(layer, name)),
      TE.map(({ id, layer }) => report({ container: id, layer, view: true }, [id])),
    )
