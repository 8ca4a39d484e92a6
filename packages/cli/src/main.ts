/**
 * The `stratum` command line: global options, one subcommand per file in commands/ (what it does
 * in actions/, imported only when it runs: execute.ts), and the exit protocol (the table in help.ts): 0 on success; 1 with ONE line on stderr naming the thing
 * in the user's words (words.ts; else core's `describe` with the tag), a `hint:` line when one
 * helps, control characters escaped, and, with --json, `{"error": {...}}` on stdout (failure.ts); 2 for a usage error (commander's message; `--driver zfs` without `--base`);
 * 130 (SIGINT) or 143 (SIGTERM) when a signal cancelled the command, its work undone (interrupt.ts).
 */
import { Command, CommanderError, Option } from 'commander'
import { registerApply } from './commands/apply.js'
import { registerCommit } from './commands/commit.js'
import { registerCompletion } from './commands/completion.js'
import { registerExport } from './commands/export.js'
import { registerExtract } from './commands/extract.js'
import { registerExtractLayer } from './commands/extract-layer.js'
import { registerInit } from './commands/init.js'
import { registerLs } from './commands/ls.js'
import { registerMount } from './commands/mount.js'
import { registerView } from './commands/view.js'
import { registerPackage } from './commands/package.js'
import { registerRecover } from './commands/recover.js'
import { registerLabel } from './commands/label.js'
import { registerRm } from './commands/rm.js'
import { registerPrune } from './commands/prune.js'
import { registerPull } from './commands/pull.js'
import { registerPush } from './commands/push.js'
import { registerRmi } from './commands/rmi.js'
import { registerSave } from './commands/save.js'
import { registerStart } from './commands/start.js'
import { registerUsage } from './commands/usage.js'
import type { Register, Runner } from './command.js'
import { exitCodesHelp } from './help.js'
import type { Io } from './io.js'
import type { GlobalOptions } from './session.js'
import { VERSION } from './version.js'

export { captureIo, processIo, type Io, type CapturedIo } from './io.js'

const COMMANDS: readonly Register[] = [
  registerInit,
  registerExtract,
  registerPull,
  registerExtractLayer,
  registerStart,
  registerApply,
  registerMount,
  registerView,
  registerCommit,
  registerPackage,
  registerSave,
  registerPush,
  registerExport,
  registerLs,
  registerLabel,
  registerUsage,
  registerRm,
  registerRmi,
  registerPrune,
  registerRecover,
  registerCompletion,
]

/**
 * The `stratum` program: the global options and every command of the table, their actions
 * given to `run`; every help ends with the exit codes (help.ts).
 */
export const buildProgram = (io: Io, run: Runner): Command => {
  const program = new Command('stratum')
    .description('OCI image layers and container roots on ZFS datasets, snapshots and clones')
    .version(VERSION, '-V, --version', 'print the version and exit')
    .addOption(new Option('--driver <driver>', 'storage backend').choices(['sim', 'zfs']).default('sim'))
    .option('--state <file>', 'simulator state file (default: $STRATUM_STATE, else .stratum/state)')
    .option('--base <dataset>', 'base dataset (default for sim: stratum; required for zfs)')
    .option('--json', 'print one JSON document on stdout', false)
    .addHelpText('afterAll', exitCodesHelp())
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr })
  for (const register of COMMANDS) register(program, run)
  program.commands.forEach((c) => c.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr }))
  return program
}

/** Runs the CLI on `argv` (without the node and script paths); resolves to the exit code. */
export const main = async (argv: readonly string[], io: Io): Promise<number> => {
  let code = 0
  const run: Runner = async (load) => {
    const opts = program.opts<GlobalOptions>()
    if (opts.driver === 'zfs' && opts.base === undefined) {
      io.stderr('error: --base <pool/dataset> is required with --driver zfs\n')
      code = 2
      return
    }
    const { execute } = await import('./execute.js')
    code = await execute(io, opts, load)
  }
  const program = buildProgram(io, run)
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2
    throw e
  }
  return code
}
