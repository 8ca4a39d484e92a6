/**
 * An exclusive lock between processes sharing one simulator state file: `<file>.lock`, made by
 * writing the owner (`host`, `pid`, a per-process token) to a temp file and hard-linking it to
 * the lock name (link fails with EEXIST atomically, and the lock never exists half-written).
 * A lock whose owner is a process of this host that no longer runs (or an earlier process with
 * our pid) is stale: it is moved aside by an atomic rename and removed if it is still the stale
 * one; a live lock moved aside by a racing breaker is linked back. Inside one process, callers
 * queue on a promise chain, so the file lock is only contended between processes.
 */
import { randomBytes } from 'node:crypto'
import { link, readFile, rename, unlink, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import * as E from 'fp-ts/lib/Either.js'
import { err, ioError, type StorageError } from '@stratum/core'

const HOST = hostname()
const TOKEN = randomBytes(6).toString('hex')
const SELF = `${HOST}\n${process.pid}\n${TOKEN}\n`

const code = (e: unknown): string | undefined => (e as { code?: string } | null)?.code

const alive = (pid: number): boolean => {
  try { process.kill(pid, 0); return true } catch (e) { return code(e) === 'EPERM' }
}

/** Whether a lock file's content names an owner that is certainly gone. */
const isStale = (content: string): boolean => {
  const [host, pidText, token] = content.split('\n')
  const pid = Number(pidText)
  if (host !== HOST || !Number.isInteger(pid) || pid <= 0) return false
  if (pid === process.pid) return token !== TOKEN
  return !alive(pid)
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const readOr = (path: string): Promise<string | undefined> => readFile(path, 'utf8').catch(() => undefined)

/** Tries once to take the lock; true when taken. */
const tryTake = async (lockPath: string): Promise<boolean> => {
  const tmp = `${lockPath}.${process.pid}-${randomBytes(4).toString('hex')}`
  await writeFile(tmp, SELF, { mode: 0o600 })
  try {
    await link(tmp, lockPath)
    return true
  } catch (e) {
    if (code(e) === 'EEXIST') return false
    throw e
  } finally {
    await unlink(tmp).catch(() => undefined)
  }
}

/** Moves a stale lock aside; gives back a live one a racing breaker had replaced it with. */
const breakStale = async (lockPath: string, stale: string): Promise<void> => {
  const aside = `${lockPath}.stale-${process.pid}-${randomBytes(4).toString('hex')}`
  try { await rename(lockPath, aside) } catch { return }
  const moved = await readOr(aside)
  if (moved !== stale && moved !== undefined) await link(aside, lockPath).catch(() => undefined)
  await unlink(aside).catch(() => undefined)
}

export interface LockOptions {
  /** give up after this long (Busy); default 60 s */
  readonly timeoutMs?: number
}

const acquire = async (lockPath: string, opts: LockOptions): Promise<E.Either<StorageError, void>> => {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000)
  for (let attempt = 0; ; attempt++) {
    try {
      if (await tryTake(lockPath)) return E.right(undefined)
    } catch (e) {
      return E.left(ioError('EIO', lockPath, `taking the state lock: ${String(e)}`, e))
    }
    const holder = await readOr(lockPath)
    if (holder !== undefined && isStale(holder)) { await breakStale(lockPath, holder); continue }
    if (Date.now() > deadline) {
      return E.left(err('Busy', { name: lockPath, reason: `simulator state locked by ${holder?.replace(/\n/g, ' ').trim() ?? 'another process'}` }))
    }
    await sleep(Math.min(20, 1 + attempt) * (0.5 + Math.random()))
  }
}

export interface FileLock {
  /** runs `body` holding the lock (queued behind this process's other holders) */
  run<A>(body: () => Promise<E.Either<StorageError, A>>): Promise<E.Either<StorageError, A>>
}

/** one queue per lock file in this process */
const queues = new Map<string, Promise<unknown>>()

export const fileLock = (lockPath: string, opts: LockOptions = {}): FileLock => {
  return {
    run: (body) => {
      const next = (queues.get(lockPath) ?? Promise.resolve()).then(async () => {
        const got = await acquire(lockPath, opts)
        if (E.isLeft(got)) return got
        try {
          return await body()
        } finally {
          await unlink(lockPath).catch(() => undefined)
        }
      })
      queues.set(lockPath, next.catch(() => undefined))
      return next
    },
  }
}
