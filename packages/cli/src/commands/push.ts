/**
 * `stratum push <layer> <reference> [-z gzip|zstd|none] [--insecure] [--creds user:password]`:
 * the chain under a layer (an image name, chainID or prefix) written as `save` writes it and
 * uploaded to a registry under the reference's tag: the blobs the registry lacks, then the
 * manifest. Prints the manifest digest and what was uploaded.
 */
import { Option } from 'commander'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Compression } from '@stratum/core'
import { COMPRESSIONS } from '../args.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { type RegistryFlags, registryAccess, withRegistryFlags } from '../registry-flags.js'
import { report } from '../report.js'

interface PushFlags extends RegistryFlags {
  readonly compress: Compression
  readonly chunkSize?: number
}

export const registerPush: Register = (program, run) => {
  withRegistryFlags(
    program
      .command('push')
      .description('upload the image under a layer to an OCI registry')
      .argument('<layer>', 'image name, chainID or chainID prefix (12+ hex digits)')
      .argument('<reference>', '[host[:port]/]path[:tag] (no host: Docker Hub; no tag: latest)')
      .addOption(new Option('-z, --compress <codec>', 'layer blob compression').choices(COMPRESSIONS).default('gzip'))
      .option(
        '--chunk-size <bytes>',
        'upload each blob in chunks of this many bytes (default: one request per blob)',
        Number,
      ),
  )
    .addHelpText(
      'after',
      examplesHelp(
        'stratum push web:1 registry.example.com/web:1',
        'stratum push --insecure sha256:<chainid> 127.0.0.1:5000/web:2',
        'stratum push --chunk-size 8388608 web:1 registry.example.com/web:1',
      ),
    )
    .action((layer: string, reference: string, o: PushFlags) =>
      run((ctx) =>
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
        ),
      ),
    )
}
