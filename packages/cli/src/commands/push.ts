/**
 * `stratum push <layer> <reference> [-z gzip|zstd|none] [--insecure] [--creds user:password]`:
 * the chain under a layer (an image name, chainID or prefix) written as `save` writes it and
 * uploaded to a registry under the reference's tag: the blobs the registry lacks, then the
 * manifest. Prints the manifest digest and what was uploaded.
 */
import { Option } from 'commander'
import type { PushFlags } from '../actions/push.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { COMPRESSIONS, withRegistryFlags } from '../options.js'

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
      run(() => import('../actions/push.js').then((m) => m.pushAction(layer, reference, o))),
    )
}
