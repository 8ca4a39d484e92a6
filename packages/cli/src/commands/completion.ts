/** `stratum completion bash|zsh|fish`: prints the shell's completion script, generated from the registered commands. */
import { Argument } from 'commander'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { bashScript } from '../completion/bash.js'
import { fishScript } from '../completion/fish.js'
import { specOf } from '../completion/spec.js'
import { zshScript } from '../completion/zsh.js'
import { examplesHelp } from '../help.js'
import { report } from '../report.js'

/** The shells `completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
type Shell = (typeof SHELLS)[number]

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const

export const registerCompletion: Register = (program, run) => {
  program
    .command('completion')
    .description('print the shell completion script for bash, zsh or fish')
    .addArgument(new Argument('<shell>', 'the shell: bash, zsh or fish').choices(SHELLS))
    .addHelpText(
      'after',
      examplesHelp(
        'source <(stratum completion bash)',
        'stratum completion zsh > ~/.zfunc/_stratum   # a directory in $fpath',
        'stratum completion fish > ~/.config/fish/completions/stratum.fish',
      ),
    )
    .action((shell: Shell) =>
      run(() => {
        const script = SCRIPTS[shell](specOf(program))
        return TE.right(report({ shell, script }, [script.trimEnd()]))
      }),
    )
}
