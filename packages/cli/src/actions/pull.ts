/** `stratum pull` (commands/pull.ts): the store's pull with the registry flags, one bar per layer. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { layerBars, stoppingBar } from '../progress.js'
import { registryAccess } from '../registry-flags.js'
import { report } from '../report.js'
import type { RegistryFlags } from '../options.js'

/** The options of `pull` as commander parsed them. */
export interface PullFlags extends RegistryFlags {
  readonly name?: string
  readonly platform?: string
  readonly mirror: readonly string[]
}

export const pullAction =
  (reference: string, o: PullFlags): Action =>
  (ctx) => {
    const bars = layerBars(ctx.progress, 'pull')
    return pipe(
      TE.fromEither(registryAccess(o)),
      TE.bindTo('access'),
      TE.bind('session', () => ctx.session()),
      TE.flatMap(({ access, session }) =>
        session.store.pull(
          reference,
          { onProgress: bars.onProgress, signal: ctx.signal },
          {
            ...(o.name === undefined ? {} : { name: o.name }),
            ...(o.platform === undefined ? {} : { platform: o.platform }),
            ...(o.mirror.length === 0 ? {} : { mirrors: o.mirror }),
            ...access,
          },
        ),
      ),
      stoppingBar(bars),
      TE.map(({ name, layers, top }) =>
        report({ name, layers, top }, [
          ...layers.map((l) => `${l.chainId} ${l.reused ? 'reused' : 'pulled'}`),
          `top ${top}`,
          `image ${name}`,
        ]),
      ),
    )
  }
