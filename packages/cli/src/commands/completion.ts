/** `stratum completion bash|zsh|fish`: prints the shell's completion script, generated from the registered commands. */
import { Argument } from 'commander'
import type { Register } from '../command.js'
import { SHELLS, type Shell } from '../completion/spec.js'
import { examplesHelp } from '../help.js'

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
      run(() => import('../actions/completion.js').then((m) => m.completionAction(shell, program))),
    )
}
