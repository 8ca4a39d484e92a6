/**
 * What shell completion knows about `stratum`, read from the registered commander program (the
 * one source of truth): each command's name, options (which take a value, their choices) and
 * positional arguments (their choices; none means a file name).
 */
import type { Argument, Command, Option } from 'commander'

/** The shells `completion` writes a script for. */
export const SHELLS = ['bash', 'zsh', 'fish'] as const
/** One of SHELLS. */
export type Shell = (typeof SHELLS)[number]

/** One option: its flags, whether a value follows, the values it accepts when they are fixed. */
export interface OptionSpec {
  readonly flags: readonly string[]
  readonly description: string
  readonly takesValue: boolean
  readonly choices: readonly string[] | undefined
}

/** One positional argument: its name and fixed values (undefined: a file name or free text). */
export interface ArgSpec {
  readonly name: string
  readonly choices: readonly string[] | undefined
  readonly variadic: boolean
}

/** A command (or, with name '', the program before its command): what may follow it. */
export interface CommandSpec {
  readonly name: string
  readonly description: string
  readonly options: readonly OptionSpec[]
  readonly args: readonly ArgSpec[]
}

export interface ProgramSpec {
  readonly name: string
  /** the global options */
  readonly options: readonly OptionSpec[]
  readonly commands: readonly CommandSpec[]
}

const HELP: OptionSpec = { flags: ['-h', '--help'], description: 'display help', takesValue: false, choices: undefined }

const optionOf = (o: Option): OptionSpec => ({
  flags: [o.short, o.long].filter((f): f is string => f !== undefined),
  description: o.description,
  takesValue: o.required || o.optional,
  choices: o.argChoices,
})

const argOf = (a: Argument): ArgSpec => ({ name: a.name(), choices: a.argChoices, variadic: a.variadic })

/** The completion spec of `program` and its registered commands. */
export const specOf = (program: Command): ProgramSpec => ({
  name: program.name(),
  options: [...program.options.map(optionOf), HELP],
  commands: program.commands.map((c) => ({
    name: c.name(),
    description: c.description(),
    options: [...c.options.map(optionOf), HELP],
    args: c.registeredArguments.map(argOf),
  })),
})
