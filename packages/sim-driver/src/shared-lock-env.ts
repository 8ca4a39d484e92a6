/**
 * What the state-file lock protocol (shared-lock.ts) needs from the outside world: five file
 * operations, this acquirer's owner record, whether a recorded owner is certainly gone, and a
 * clock. `nodeLockEnv` is the real one; tests substitute their own to run several simulated
 * processes in one and interleave their steps deterministically.
 *
 * An owner record is `host\npid\ntoken\n` (token: random, per process). Its owner is dead when
 * it is a process of this host that no longer runs, or has our pid but another token (an earlier
 * process whose pid we reuse). Anything else, another host's or an unreadable record included,
 * counts as alive: a lock is only ever taken over from an owner known to be gone.
 */
import { randomBytes } from 'node:crypto'
import { link, readdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'

export interface LockEnv {
  readonly readdir: (dir: string) => Promise<string[]>
  /** rejects with code ENOENT when the file is gone */
  readonly readFile: (path: string) => Promise<string>
  readonly writeFile: (path: string, data: string) => Promise<void>
  /** the atomic create-if-absent: rejects with code EEXIST when `to` exists */
  readonly link: (from: string, to: string) => Promise<void>
  readonly unlink: (path: string) => Promise<void>
  /** this acquirer's owner record */
  readonly self: string
  /** whether the owner a complete record names is certainly gone (it stays gone) */
  readonly isDead: (owner: string) => boolean
  readonly sleep: (ms: number) => Promise<void>
  readonly now: () => number
}

export const errCode = (e: unknown): string | undefined => (e as { code?: string } | null)?.code

const HOST = hostname()
const TOKEN = randomBytes(6).toString('hex')

/** `host\npid\ntoken\n`, or undefined for anything else (a partly written temp file included) */
export const parseOwner = (record: string): { host: string; pid: number; token: string } | undefined => {
  const m = /^([^\n]+)\n([1-9][0-9]*)\n([^\n]+)\n$/.exec(record)
  return m === null ? undefined : { host: m[1]!, pid: Number(m[2]), token: m[3]! }
}

const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (e) {
    return errCode(e) === 'EPERM'
  }
}

export const nodeLockEnv: LockEnv = {
  readdir: (dir) => readdir(dir),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, data) => writeFile(path, data, { mode: 0o600 }),
  link: (from, to) => link(from, to),
  unlink: (path) => unlink(path),
  self: `${HOST}\n${process.pid}\n${TOKEN}\n`,
  isDead: (record) => {
    const o = parseOwner(record)
    if (o === undefined || o.host !== HOST) return false
    return o.pid === process.pid ? o.token !== TOKEN : !running(o.pid)
  },
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
}
