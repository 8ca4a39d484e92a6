/**
 * Who is doing a piece of work in progress. Every tmp dataset and every container lock
 * records `stratum:owner` = `<hostname>/<pid>/<token>` (the token is random per process, so a
 * later process that happens to get the same pid is not mistaken for the first) and
 * `stratum:created`. recover() collects only work whose owner is gone: a process of this host
 * that no longer runs (or an earlier incarnation of this pid), or any owner whose work is older
 * than `staleAfterMs` (the only test possible for another host's work). Work recorded without an
 * owner is from before owners existed and is collected as before.
 */
import { randomBytes } from 'node:crypto'
import { hostname } from 'node:os'

export interface OwnerPolicy {
  /** recorded as `stratum:owner` on the work this store starts */
  readonly self: string
  /** may work recorded with `owner` (undefined: none recorded), started `ageMs` ago, still be in progress? */
  isLive(owner: string | undefined, ageMs: number): boolean
}

/** Six hours: no single extract or commit runs that long; a dead host's work is collected after it. */
export const DEFAULT_STALE_AFTER_MS = 6 * 60 * 60 * 1000

const PROCESS_TOKEN = randomBytes(6).toString('hex')
const HOST = hostname().replace(/\//g, '_')

export const processOwner = (): string => `${HOST}/${process.pid}/${PROCESS_TOKEN}`

export interface ParsedOwner { readonly host: string; readonly pid: number; readonly token: string }

export const parseOwner = (owner: string): ParsedOwner | undefined => {
  const m = /^(.*)\/(\d+)\/([^/]+)$/.exec(owner)
  return m === null ? undefined : { host: m[1]!, pid: Number(m[2]), token: m[3]! }
}

/** Whether process `pid` runs on this host (EPERM: it runs, as another user). */
export const pidAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM'
  }
}

/** This process's policy: its own work and other running processes' work are live; the rest is collectable. */
export const defaultOwnerPolicy = (staleAfterMs = DEFAULT_STALE_AFTER_MS): OwnerPolicy => ({
  self: processOwner(),
  isLive: (owner, ageMs) => {
    if (owner === undefined) return false
    const o = parseOwner(owner)
    if (o === undefined) return ageMs <= staleAfterMs
    if (o.host === HOST && o.pid === process.pid) return o.token === PROCESS_TOKEN
    if (ageMs > staleAfterMs) return false
    return o.host !== HOST || pidAlive(o.pid)
  },
})

/** Milliseconds since an ISO `stratum:created` stamp; 0 when missing or unreadable (treated as new). */
export const ageOf = (created: string | undefined, now = Date.now()): number => {
  const t = created === undefined ? NaN : Date.parse(created)
  return Number.isNaN(t) ? 0 : Math.max(0, now - t)
}
