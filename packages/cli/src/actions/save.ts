/** `stratum save` (commands/save.ts): the store's saveImage into the layout target, each layer's blob and chainID reported. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Compression } from '@stratum/core'
import { parseLayoutTarget } from '../args.js'
import type { Action } from '../command.js'
import { report } from '../report.js'

export const saveAction =
  (layer: string, layout: string, o: { compress: Compression }): Action =>
  (ctx) =>
    pipe(
      TE.fromEither(parseLayoutTarget(layout)),
      TE.bindTo('target'),
      TE.bind('session', () => ctx.session('read')),
      TE.bind('saved', ({ target, session }) =>
        session.store.saveImage(layer, target.dir, target.ref, { compression: o.compress }),
      ),
      TE.map(({ target, saved }) => {
        const top = saved.chainIds[saved.chainIds.length - 1] ?? 'empty'
        const layers = saved.layerDigests.map((digest, i) => ({
          digest,
          diffId: saved.diffIds[i]!,
          chainId: saved.chainIds[i]!,
        }))
        return report(
          {
            layout: target.dir,
            ref: target.ref,
            manifest: saved.manifestDigest,
            layers,
            top,
            source: saved.source,
            ...(saved.base === undefined ? {} : { base: saved.base }),
          },
          [
            ...layers.map((l) => `${l.digest} chainid ${l.chainId}`),
            `manifest ${saved.manifestDigest}`,
            ...(top === saved.source ? [] : [`top ${top} (Stratum's packaging of ${saved.source})`]),
            `image ${target.dir}:${target.ref}`,
          ],
        )
      }),
    )
