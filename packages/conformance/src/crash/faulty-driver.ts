/**
 * A fault-injecting wrapper around any Driver. Every call is counted when it runs (the
 * TaskEither is executed), FileTree calls on trees from `fs()` included. Armed at call n:
 * - 'fail': the n-th call does not happen and reports a typed `Io` error; later calls work
 *   (a transient I/O error).
 * - 'crash': the n-th call and every later one do not happen and report `Io` (the process
 *   died just before the n-th call: nothing it does afterwards reaches the storage).
 * A crash "after the last call" is the operation succeeding, so crash points are 0..calls-1.
 */
import { type Driver, ioError, type StorageError } from '@stratum/core'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { interceptDriver } from './intercept.js'

export type FaultMode = 'fail' | 'crash'

export interface Faulty {
  readonly driver: Driver
  /** calls that ran (or were refused) since the last `arm` */
  calls(): number
  /** what each of those calls was (`destroy testpool/x`, `fs testpool/x: mkdir etc`), in order */
  log(): readonly string[]
  /** the fault fires at call `n` (0-based, counted from now); Infinity: never */
  arm(n: number, mode: FaultMode): void
  /** whether the fault fired */
  fired(): boolean
}

export const faultyDriver = (inner: Driver): Faulty => {
  let count = 0
  let at = Infinity
  let mode: FaultMode = 'fail'
  let dead = false
  let fired = false
  let log: string[] = []

  /** Runs `run` unless the fault says otherwise; `what` names the thing in the injected error. */
  const gate =
    <A>(what: string, run: TE.TaskEither<StorageError, A>): TE.TaskEither<StorageError, A> =>
    () => {
      const n = count++
      log.push(what)
      if (dead)
        return Promise.resolve({
          _tag: 'Left',
          left: ioError('EIO', what, 'injected crash: the process is gone'),
        } as const)
      if (n === at) {
        fired = true
        if (mode === 'crash') dead = true
        return Promise.resolve({ _tag: 'Left', left: ioError('EIO', what, `injected ${mode} at call ${n}`) } as const)
      }
      return run()
    }

  const driver = interceptDriver(inner, gate)

  return {
    driver,
    calls: () => count,
    log: () => log,
    arm: (n, m) => {
      count = 0
      at = n
      mode = m
      dead = false
      fired = false
      log = []
    },
    fired: () => fired,
  }
}
