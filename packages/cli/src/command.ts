/**
 * What every command gets: its Io, the global options, a way to open the store, and where
 * to draw progress. A command is a function from that context to a Report or a StorageError.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Command } from 'commander'
import type { StorageError } from '@stratum/core'
import type { Io } from './io.js'
import type { Report } from './report.js'
import { type Access, type GlobalOptions, openSession, type Session } from './session.js'

export interface Ctx {
  readonly io: Io
  readonly opts: GlobalOptions
  /** where to draw a progress bar: the terminal, and never with --json */
  readonly progress: NodeJS.WritableStream | undefined
  /** aborted by Ctrl-C or SIGTERM: long commands give it to the store, which undoes their work */
  readonly signal: AbortSignal
  /** opens the store once; later calls give the same session (`read`: a missing sim state file is an error, not created) */
  readonly session: (access?: Access) => TaskEither<StorageError, Session>
  /** the session `session` opened, if it did (a failure's words ask it what exists) */
  readonly opened: () => Session | undefined
}

export const makeCtx = (io: Io, opts: GlobalOptions, signal: AbortSignal = new AbortController().signal): Ctx => {
  let opened: Session | undefined
  return {
    io,
    opts,
    progress: opts.json ? undefined : io.progress,
    signal,
    session: (access = 'write') =>
      opened !== undefined
        ? TE.right(opened)
        : TE.tapIO((s: Session) => () => {
            opened = s
          })(openSession(opts, io, access)),
    opened: () => opened,
  }
}

export type Action = (ctx: Ctx) => TaskEither<StorageError, Report>

/** Runs an action with the parsed global options; main records the outcome. */
export type Runner = (action: Action) => Promise<void>

/** Each command module adds its subcommand to the program. */
export type Register = (program: Command, run: Runner) => void
