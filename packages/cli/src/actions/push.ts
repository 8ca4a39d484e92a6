/** `stratum push` (commands/push.ts): the store's push with the registry flags. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { registryAccess } from '../registry-flags.js'
import { report } from '../report.js'
import type { RegistryFlags } from '../options.js'
import type { Compression } from '@stratum/core'

/** The options of `push` as commander parsed them. */
export interface PushFlags extends RegistryFlags {
  readonly compress: Compression
  readonly chunkSize?: number
}

export const pushAction =
  (layer: string, reference: string, o: PushFlags): Action =>
  (ctx) =>
    pipe(
      TE.fromEither(registryAccess(o)),
      TE.bindTo('access'),
      TE.bind('session', () => ctx.session('read')),
      TE.flatMap(({ access, session }) =>
        session.store.push(layer, reference, {
          compression: o.compress,
          ...(o.chunkSize === undefined ? {} : { chunkSize: o.chunkSize }),
          ...access,
        }),
      ),
      TE.map((p) =>
        report(
          {
            reference: p.reference,
            manifest: p.manifestDigest,
            top: p.chainIds[p.chainIds.length - 1] ?? 'empty',
            uploaded: p.uploaded,
            present: p.present,
            mounted: p.mounted,
          },
          [
            `pushed ${p.reference} ${p.manifestDigest} (${p.uploaded.length} blobs uploaded, ${p.mounted.length} mounted, ${p.present.length} there already)`,
          ],
        ),
      ),
    )
