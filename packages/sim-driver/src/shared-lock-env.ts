/**
 * What the state-file lock protocol (shared-lock.ts) needs from the outside world: five file
 * operations, this acquirer's owner record, whether a recorded owner is certainly gone, and a
 * clock. `nodeLockEnv` is the real one; tests substitute their own to run several simulated
 * processes in one and interleave their steps deterministically.
 *
 * An owner record is core's owner string and a newline (the newline marks it complete). Its
 * owner is dead when core's ownerGone says so (a process of this host that no longer runs, or an
 * earlier process whose pid is reused). Anything else, another host's or an unreadable record
 * included, counts as alive: a lock is only ever taken over from an owner known to be gone.
 */
import { link, readdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { ownerGone, type ParsedOwner, parseOwner as parseOwnerString, processOwner } from '@stratum/core/internal'

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

/** The owner of a complete record (`<owner>\n`), or undefined (a partly written temp file included). */
export const parseOwner = (record: string): ParsedOwner | undefined =>
  record.endsWith('\n') ? parseOwnerString(record.slice(0, -1)) : undefined

export const nodeLockEnv: LockEnv = {
  readdir: (dir) => readdir(dir),
  readFile: (path) => readFile(path, 'utf8'),
  writeFile: (path, data) => writeFile(path, data, { mode: 0o600 }),
  link: (from, to) => link(from, to),
  unlink: (path) => unlink(path),
  self: `${processOwner()}\n`,
  isDead: (record) => parseOwner(record) !== undefined && ownerGone(record.slice(0, -1)),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  now: () => Date.now(),
}
