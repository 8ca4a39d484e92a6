/** `stratum completion` (commands/completion.ts): the shell's script, generated from the program's commands. */
import type { Command } from 'commander'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { bashScript } from '../completion/bash.js'
import { fishScript } from '../completion/fish.js'
import { type Shell, specOf } from '../completion/spec.js'
import { zshScript } from '../completion/zsh.js'
import { report } from '../report.js'

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const

export const completionAction =
  (shell: Shell, program: Command): Action =>
  () => {
    const script = SCRIPTS[shell](specOf(program))
    return TE.right(report({ shell, script }, [script.trimEnd()]))
  }
