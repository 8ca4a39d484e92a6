/**
 * In-process stand-ins for separate processes: each incarnation is a store "process" with an
 * owner of its own. Its own work is live to it; every other incarnation's work looks like a
 * dead process's, so a store opened as a new incarnation recovers what a "crashed" one left.
 */
import type { StoreOptions } from '@stratum/core'

let next = 0

export const incarnation = (): StoreOptions => {
  const self = `incarnation/${++next}/t`
  return { owner: { self, isLive: (owner) => owner === self } }
}

/** Several stores running at once in one process: each other's work is live to all of them. */
export const siblings = (): StoreOptions => {
  const self = `sibling/${++next}/t`
  return { owner: { self, isLive: (owner) => owner?.startsWith('sibling/') === true } }
}
