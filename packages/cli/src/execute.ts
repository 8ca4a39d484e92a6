/**
 * One command's run, imported by main only once a command's action is called (so `--help` and
 * usage errors load no store code): its context, its Ctrl-C watch, its outcome by the exit protocol.
 */
import type { StorageError } from '@stratum/core'
import { type Action, makeCtx } from './command.js'
import { watchInterrupt } from './interrupt.js'
import type { Io } from './io.js'
import { emit } from './report.js'
import type { GlobalOptions, Session } from './session.js'

/** Prints a failure by the exit protocol (failure.ts), what the store holds naming the thing when it is open; loaded only then. */
const fail = async (
  io: Io,
  opts: GlobalOptions,
  e: unknown,
  store?: { session: Session | undefined; error: StorageError },
) => {
  const [{ reportFailure }, { knownBy }, { baseNameOf }] = await Promise.all([
    import('./failure.js'),
    import('./words.js'),
    import('./session.js'),
  ])
  const base = baseNameOf(opts)
  const known =
    store === undefined
      ? undefined
      : { ...(await knownBy(store.session, store.error)), ...(base === undefined ? {} : { base }) }
  reportFailure(io, e, opts.json, known)
}

/** Runs the action `load` gives; resolves to the exit code (0, 1, or 130/143 when a signal cancelled it). */
export const execute = async (io: Io, opts: GlobalOptions, load: () => Promise<Action>): Promise<number> => {
  const interrupt = io.signals === undefined ? undefined : watchInterrupt(io.signals)
  try {
    const ctx = makeCtx(io, opts, interrupt?.signal)
    const result = await (await load())(ctx)()
    if (result._tag === 'Right') {
      emit(io, result.right, opts.json)
      return 0
    }
    await fail(io, opts, result.left, { session: ctx.opened(), error: result.left })
    return result.left._tag === 'Cancelled' ? (interrupt?.code() ?? 1) : 1
  } catch (e) {
    await fail(io, opts, e)
    return 1
  } finally {
    interrupt?.release()
  }
}
