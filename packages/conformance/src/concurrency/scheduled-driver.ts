/**
 * A driver whose calls (FileTree calls included) each wait for fast-check's scheduler to let
 * them run: concurrent store operations then interleave at every driver call in an order the
 * property explores (and shrinks). Without a scheduler set, calls pass straight through.
 */
import type { Driver } from '@stratum/core'
import type fc from 'fast-check'
import { type Around, interceptDriver } from '../crash/intercept.js'

export interface Scheduled {
  readonly driver: Driver
  /** from now on, calls wait for `s` (undefined: run at once) */
  use(s: fc.Scheduler | undefined): void
}

export const scheduledDriver = (inner: Driver): Scheduled => {
  let sched: fc.Scheduler | undefined
  const around: Around = (what, run) => () =>
    sched === undefined ? run() : sched.schedule(Promise.resolve(), what).then(() => run())
  return {
    driver: interceptDriver(inner, around),
    use: (s) => {
      sched = s
    },
  }
}
