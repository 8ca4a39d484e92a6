/**
 * `stratum usage`: settled space of every layer and container, one row each (kind, id, unique,
 * referenced, available, refquota, quota) as a table like `ls` (-H, -p, -o), or --json
 * `{ layers, containers }` (the library's StoreUsage).
 */
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { parseColumns } from '../options.js'

export const registerUsage: Register = (program, run) => {
  program
    .command('usage')
    .description('space of every layer and container: unique, referenced and available bytes, quotas')
    .option('-H', 'scripted: no header, fields separated by one tab', false)
    .option('-p', 'exact numbers (bytes)', false)
    .option('-o <columns>', 'comma-separated columns (digests then print in full)', parseColumns)
    .addHelpText('after', '\nColumns:\n  kind,id,unique,referenced,available,refquota,quota\n')
    .addHelpText('after', examplesHelp('stratum usage', 'stratum usage -Hp -o id,referenced,refquota'))
    .action((o: { H: boolean; p: boolean; o?: readonly string[] }) =>
      run(() => import('../actions/usage.js').then((m) => m.usageAction(o))),
    )
}
