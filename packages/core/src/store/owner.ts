/**
 * Who is doing a piece of work in progress. Every tmp dataset and every container lock
 * records `stratum:owner` = `<hostname>/<pid>/<token>` (the token is random per process and
 * carries the process's start time where /proc tells it, `s<ticks>-<hex>`, so a later process
 * that gets the same pid is not mistaken for the first) and `stratum:created`. recover()
 * collects only work whose owner is gone. On this host that is decided by the process alone:
 * a running owner (same pid, same start time) is live whatever its age. Only for another
 * host's work, which cannot be checked, does age decide (`staleAfterMs`), or the operator says
 * that host is dead (`takeOverHosts`). Work recorded without an owner is from before owners
 * existed and is collected.
 */
import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { hostname } from 'node:os'

/** Who this store is, and whether another owner's work may still be in progress (recover skips live work). */
export interface OwnerPolicy {
  /** recorded as `stratum:owner` on the work this store starts */
  readonly self: string
  /** may work recorded with `owner` (undefined: none recorded), started `ageMs` ago, still be in progress? */
  isLive(owner: string | undefined, ageMs: number): boolean
  /** why work of `owner` is left alone (recover's report); optional */
  explain?(owner: string | undefined, ageMs: number): string
}

/** Six hours: no single extract or commit runs that long; a dead host's work is collected after it. */
export const DEFAULT_STALE_AFTER_MS = 6 * 60 * 60 * 1000

const HOST = hostname().replace(/\//g, '_')

/** This host's name as owners record it. */
export const ownerHost = (): string => HOST

/** Process `pid`'s start time in clock ticks since boot (/proc/<pid>/stat field 22), where /proc has it. */
export const processStart = (pid: number): string | undefined => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]
  } catch {
    return undefined
  }
}

const START = processStart(process.pid)
const PROCESS_TOKEN = `${START === undefined ? '' : `s${START}-`}${randomBytes(6).toString('hex')}`

/** This process's owner string: `<host>/<pid>/<token>`. */
export const processOwner = (): string => `${HOST}/${process.pid}/${PROCESS_TOKEN}`

/** The parts of an owner string. */
export interface ParsedOwner {
  readonly host: string
  readonly pid: number
  readonly token: string
  readonly start?: string
}

/** The parts of an owner string, undefined when it is not one. */
export const parseOwner = (owner: string): ParsedOwner | undefined => {
  const m = /^(.*)\/(\d+)\/([^/]+)$/.exec(owner)
  if (m === null) return undefined
  const start = /^s(\d+)-/.exec(m[3]!)?.[1]
  return { host: m[1]!, pid: Number(m[2]), token: m[3]!, ...(start === undefined ? {} : { start }) }
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

/** A process of this host that still runs: same pid and, where both are known, the same start time. */
const runsHere = (o: ParsedOwner): boolean => {
  if (o.pid === process.pid) return o.token === PROCESS_TOKEN
  if (!pidAlive(o.pid)) return false
  const now = o.start === undefined ? undefined : processStart(o.pid)
  return now === undefined || now === o.start
}

/**
 * Whether the work of `owner` certainly stopped: a process of this host that no longer runs
 * (or whose pid now names a later process). Another host's owner, or an unparsed one, is not known to be gone.
 */
export const ownerGone = (owner: string): boolean => {
  const o = parseOwner(owner)
  return o !== undefined && o.host === HOST && !runsHere(o)
}

/** Options of the default owner policy. */
export interface OwnerPolicyOptions {
  /** hosts whose owners the operator declares dead: their work is collected whatever its age */
  readonly takeOverHosts?: readonly string[]
}

/** This process's policy: its own work and running processes' work are live; another host's until it is stale. */
export const defaultOwnerPolicy = (
  staleAfterMs = DEFAULT_STALE_AFTER_MS,
  opts: OwnerPolicyOptions = {},
): OwnerPolicy => {
  const takeOver = (host: string) => host !== HOST && (opts.takeOverHosts ?? []).includes(host)
  const isLive = (owner: string | undefined, ageMs: number): boolean => {
    if (owner === undefined) return false
    const o = parseOwner(owner)
    if (o === undefined) return ageMs <= staleAfterMs
    if (o.host === HOST) return runsHere(o)
    return !takeOver(o.host) && ageMs <= staleAfterMs
  }
  const explain = (owner: string | undefined, ageMs: number): string => {
    const o = owner === undefined ? undefined : parseOwner(owner)
    const age = `${Math.round(ageMs / 60_000)} min ago`
    if (o === undefined) return `owner '${owner ?? ''}' unparsed, started ${age}`
    if (o.host === HOST) return `owner ${owner} runs on this host (pid ${o.pid})`
    return (
      `owner ${owner} is on host '${o.host}', started ${age}: collected once older than ${Math.round(staleAfterMs / 60_000)} min, ` +
      `or now with recover --owner-host=${o.host} if that host's work is dead`
    )
  }
  return { self: processOwner(), isLive, explain }
}

/** Milliseconds since an ISO `stratum:created` stamp; 0 when missing or unreadable (treated as new). */
export const ageOf = (created: string | undefined, now = Date.now()): number => {
  const t = created === undefined ? NaN : Date.parse(created)
  return Number.isNaN(t) ? 0 : Math.max(0, now - t)
}
