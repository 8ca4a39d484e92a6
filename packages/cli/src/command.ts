/**
 * What every command gets: its Io, the global options, a way to open the store, and where
 * to draw progress. A command is a function from that context to a Report or a StorageError,
 * built by its module under actions/, which main imports only when that command runs.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { Command } from 'commander'
import type { StorageError } from '@stratum/core'
import type { Io } from './io.js'
import type { Report } from './report.js'
import type { Access, GlobalOptions, Session } from './session.js'

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
        : pipe(
            // the store's code (core, the driver) is loaded only by a command that opens it
            TE.fromTask(() => import('./session.js')),
            TE.flatMap((m) => m.openSession(opts, io, access)),
            TE.tapIO((s) => () => {
              opened = s
            }),
          ),
    opened: () => opened,
  }
}

export type Action = (ctx: Ctx) => TaskEither<StorageError, Report>

/**
 * Runs the action `load` imports and builds (commands/*.ts: `() => import('../actions/x.js')...`),
 * with the parsed global options; main records the outcome.
 */
export type Runner = (load: () => Promise<Action>) => Promise<void>

/** Each command module adds its subcommand to the program (it imports no store code: start-up stays light). */
export type Register = (program: Command, run: Runner) => void
