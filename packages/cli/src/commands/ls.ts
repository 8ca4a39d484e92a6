/** `stratum ls layers|containers|images`: what the store holds. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err } from '@stratum/core'
import type { Register } from '../command.js'
import { report } from '../report.js'

export const registerLs: Register = (program, run) => {
  program
    .command('ls')
    .description('list layers, containers or images')
    .argument('<what>', 'layers, containers or images')
    .action((what: string) =>
      run((ctx) => {
        if (what === 'layers') {
          return pipe(
            ctx.session(),
            TE.flatMap((s) => s.store.listLayers()),
            TE.map((layers) =>
              report(
                { layers },
                layers.map((l) => `${l.chainId} parent ${l.parent} diffid ${l.diffId ?? '-'} ${l.state ?? '-'}`),
              ),
            ),
          )
        }
        if (what === 'containers') {
          return pipe(
            ctx.session(),
            TE.flatMap((s) => s.store.listContainers()),
            TE.map((containers) =>
              report(
                { containers },
                containers.map((c) => `${c.id} layer ${c.parent}`),
              ),
            ),
          )
        }
        if (what === 'images') {
          return pipe(
            ctx.session(),
            TE.flatMap((s) => s.store.listImages()),
            TE.map((images) =>
              report(
                { images },
                images.map((i) => `${i.name} top ${i.top} manifest ${i.manifest} ${i.platform ?? '-'} ${i.created}`),
              ),
            ),
          )
        }
        return TE.left(err('InvalidName', { name: what, reason: "expected 'layers', 'containers' or 'images'" }))
      }),
    )
}
