/**
 * `stratum package <layer> -o <file> [-z gzip|zstd|none]` (an image name, chainID or prefix): the
 * layer's deterministic diff tar against its parent, compressed with -z (default none: the plain
 * tar), written by the output rule (output.ts; `-o -` is stdout); the tar is hashed as it streams
 * and must equal the store's diffID. The same layer always gives the same bytes.
 */
import { Option } from 'commander'
import type { Compression } from '@stratum/core'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { COMPRESSIONS } from '../options.js'

export const registerPackage: Register = (program, run) => {
  program
    .command('package')
    .description("write a layer's diff against its parent as a tar (uncompressed unless -z)")
    .argument('<layer>', 'image name, chainID or chainID prefix (12+ hex digits)')
    .requiredOption('-o, --output <file>', "where to write the tar ('-': stdout, the report then on stderr)")
    .addOption(new Option('-z, --compress <codec>', 'compress the tar').choices(COMPRESSIONS).default('none'))
    .addHelpText(
      'after',
      examplesHelp(
        'stratum package img:1.0 -o layer.tar',
        'stratum package sha256:<chainid> -o - -z gzip > layer.tar.gz',
      ),
    )
    .action((chainArg: string, o: { output: string; compress: Compression }) =>
      run(() => import('../actions/package.js').then((m) => m.packageAction(chainArg, o))),
    )
}
