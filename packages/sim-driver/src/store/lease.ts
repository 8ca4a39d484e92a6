/**
 * Holding the state file's lock (shared-lock.ts) across a run of calls: taking it costs a
 * few file operations, so a process keeps it while its calls keep coming and lets it go once
 * idle for IDLE_MS. A process that has held it for SLICE_MS while another waits (a waiter's
 * `<lock>.tmp-*` owner file exists) lets it go and steps aside for YIELD_MS, longer than a
 * waiter's poll, so a long extract never starves another writer. One lease per lock file
 * per process: its callers queue in order.
 */
import { readdirSync } from 'node:fs'
import { basename, dirname } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import type { StorageError } from '@stratum/core'
import { acquireLock, type HeldLock, releaseLock } from '../shared-lock.js'

const IDLE_MS = 5
const SLICE_MS = 200
const YIELD_MS = 40

export interface Lease {
  run<A>(body: () => E.Either<StorageError, A>): Promise<E.Either<StorageError, A>>
  /** whether this process holds the lock now, and which holding it is (one per acquisition) */
  readonly holding: () => number | undefined
  /** called, holding the lock, just before it is let go */
  readonly beforeRelease: (hook: () => void) => void
}

const leases = new Map<string, Lease>()

const othersWaiting = (lockPath: string): boolean => {
  const prefix = `${basename(lockPath)}.tmp-`
  try {
    return readdirSync(dirname(lockPath)).some((n) => n.startsWith(prefix))
  } catch {
    return false
  }
}

const makeLease = (lockPath: string, timeoutMs: number): Lease => {
  let held: HeldLock | undefined
  let since = 0
  let queue: Promise<unknown> = Promise.resolve()
  let idle: NodeJS.Timeout | undefined
  let epoch = 0
  const hooks: (() => void)[] = []
  const release = async (): Promise<void> => {
    if (held === undefined) return
    for (const h of hooks) h()
    const h = held
    held = undefined
    await releaseLock(h)
  }
  const step = async <A>(body: () => E.Either<StorageError, A>): Promise<E.Either<StorageError, A>> => {
    clearTimeout(idle)
    if (held !== undefined && Date.now() - since > SLICE_MS) {
      if (othersWaiting(lockPath)) {
        await release()
        await new Promise((r) => setTimeout(r, YIELD_MS))
      } else since = Date.now()
    }
    if (held === undefined) {
      const got = await acquireLock(lockPath, timeoutMs)
      if (E.isLeft(got)) return got
      held = got.right
      since = Date.now()
      epoch++
    }
    try {
      return body()
    } finally {
      idle = setTimeout(() => {
        queue = queue.then(release)
      }, IDLE_MS)
    }
  }
  return {
    holding: () => (held === undefined ? undefined : epoch),
    beforeRelease: (hook) => {
      hooks.push(hook)
    },
    run: (body) => {
      const next = queue.then(() => step(body))
      queue = next.catch(() => undefined)
      return next
    },
  }
}

export const leaseOf = (lockPath: string, timeoutMs = 60_000): Lease => {
  let l = leases.get(lockPath)
  if (l === undefined) {
    l = makeLease(lockPath, timeoutMs)
    leases.set(lockPath, l)
  }
  return l
}
