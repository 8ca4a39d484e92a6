/** `stratum extract-layer` (commands/extract-layer.ts): the file streamed into the store over the parent, its media type from its first bytes. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { hostStream, layerMediaType, regularFileSize } from '../host.js'
import { layerBars, stoppingBar } from '../progress.js'
import { report } from '../report.js'

export const extractLayerAction =
  (parentArg: string, file: string): Action =>
  (ctx) =>
    pipe(
      regularFileSize(file),
      TE.bindTo('size'),
      TE.bind('mediaType', () => layerMediaType(file)),
      TE.bind('session', () => ctx.session()),
      TE.bind('parent', ({ session }) => session.store.resolveLayer(parentArg)),
      TE.bind('layer', ({ parent, size, mediaType, session }) => {
        const bar = layerBars(ctx.progress, 'extract-layer')
        return pipe(
          session.store.extractLayer(
            parent,
            hostStream(file),
            { mediaType, size },
            { onProgress: bar.onProgress, signal: ctx.signal },
          ),
          stoppingBar(bar),
        )
      }),
      TE.map(({ parent, mediaType, layer: { chainId } }) => report({ chainId, parent, mediaType }, [chainId])),
    )
