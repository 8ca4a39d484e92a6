/**
 * `stratum save <layer> <oci-layout-dir>[:<tag>] [-z gzip|zstd|none]`: the chain under the layer
 * (an image name, chainID or prefix) written as an image into an OCI layout (made if missing;
 * the tag, default latest, replaces an entry of that name). Prints each layer's blob digest
 * and chainID, the manifest digest and the image reference a reader of the layout uses.
 */
import { Option } from 'commander'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Compression } from '@stratum/core'
import { COMPRESSIONS, parseLayoutTarget } from '../args.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

export const registerSave: Register = (program, run) => {
  program
    .command('save')
    .description('write a layer and the layers below it as an image into an OCI image layout directory')
    .argument('<layer>', 'image name, chainID or chainID prefix (12+ hex digits)')
    .argument('<layout>', '<oci-layout-dir>[:<tag>] (tag defaults to latest)')
    .addOption(new Option('-z, --compress <codec>', 'layer blob compression').choices(COMPRESSIONS).default('gzip'))
    .addHelpText('after', examplesHelp('stratum save img:1.0 ./out:v2', 'stratum save sha256:<chainid> ./out -z zstd'))
    .action((layer: string, layout: string, o: { compress: Compression }) =>
      run((ctx) =>
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
        ),
      ),
    )
}
