/**
 * `stratum ls layers|containers|images`: what the store holds, as a table (table.ts) or --json.
 * Sizes are settled bytes: size what the dataset alone holds, referenced all its files refer to.
 */
import { Argument } from 'commander'
import type { LsOptions } from '../actions/ls.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { collect, parseColumns } from '../options.js'

export const registerLs: Register = (program, run) => {
  program
    .command('ls')
    .description('list layers, containers or images (a table like zfs list, or --json)')
    .addArgument(new Argument('<what>', 'layers, containers or images').choices(['layers', 'containers', 'images']))
    .option('-H', 'scripted: no header, fields separated by one tab', false)
    .option('-p', 'exact numbers: bytes, and seconds since the epoch', false)
    .option('-o <columns>', 'comma-separated columns (digests then print in full)', parseColumns)
    .option(
      '--filter <label=k[=v]>',
      'containers and images: only those with label k (=v) (repeatable, all must hold)',
      collect,
      [],
    )
    .addHelpText(
      'after',
      '\nColumns:\n  layers      chainid,parent,diffid,state,size,referenced,created\n  containers  id,layer,size,referenced,created,labels\n  images      name,top,manifest,platform,created,labels\n',
    )
    .addHelpText(
      'after',
      examplesHelp(
        'stratum ls layers',
        'stratum ls -H -o chainid,state layers',
        'stratum ls containers --filter label=tier=front',
        'stratum --json ls images',
      ),
    )
    .action((what: string, o: LsOptions) => run(() => import('../actions/ls.js').then((m) => m.lsAction(what, o))))
}
