/**
 * An exclusive lock between processes sharing one simulator state file. Nobody ever removes,
 * moves or overwrites a lock file whose owner is alive.
 *
 * Lock files are `<lock>.<n>` (n = 0, 1, ...; a bare `<lock>` left by an older version counts
 * as one too). Each holds its owner's record (shared-lock-env.ts) and is made by writing the
 * record to a temp file and hard-linking it: link is an atomic create-if-absent, so a lock file
 * never exists half-written. To acquire, a process repeats:
 *  1. list the lock files; if one has a live owner, wait (past the deadline: Busy, naming it);
 *  2. otherwise link `<lock>.<highest+1>` (`<lock>.0` when there are none); EEXIST: wait;
 *  3. list again: if any other lock file has a live owner, unlink our own file and wait;
 *     otherwise we hold the lock, and unlink every other lock file (all have dead owners) and
 *     the temp files of dead owners (one cut short by a kill names no owner and stays).
 * Release unlinks our own file. Inside one process callers queue on a promise chain, so only
 * processes contend.
 *
 * Why two live holders cannot exist, and the schemes this replaced: docs/sim-store.md "The state lock".
 */
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { err, fsCodeOf, ioError, type StorageError } from '@stratum/core'
import { carried, fail } from '@stratum/core/internal'
import { errCode, type LockEnv, nodeLockEnv, parseOwner } from './shared-lock-env.js'

export type { LockEnv } from './shared-lock-env.js'

export interface LockOptions {
  /** give up after this long (Busy); default 60 s */
  readonly timeoutMs?: number
}

const io = async <A>(path: string, what: string, op: () => Promise<A>, tolerate?: string): Promise<A | undefined> => {
  try {
    return await op()
  } catch (e) {
    const c = errCode(e)
    if (c !== undefined && c === tolerate) return undefined
    return fail(ioError(fsCodeOf(c), path, `${what}: ${String(e)}`, e))
  }
}

interface Found {
  readonly path: string
  readonly gen: number
  readonly owner: string
}

/** The lock files (gen -1: the bare name) of `lockPath` with their records, and the paths of its temp files. */
const scan = async (env: LockEnv, lockPath: string): Promise<{ locks: Found[]; temps: string[] }> => {
  const dir = dirname(lockPath)
  const base = basename(lockPath)
  const names = (await io(dir, 'listing the state lock files', () => env.readdir(dir))) ?? []
  const locks: Found[] = []
  const temps: string[] = []
  for (const name of names) {
    const rest = name === base ? '' : name.startsWith(`${base}.`) ? name.slice(base.length + 1) : undefined
    if (rest === undefined) continue
    const path = join(dir, name)
    if (/^tmp-[0-9a-f]+$/.test(rest)) temps.push(path)
    if (!/^[0-9]*$/.test(rest)) continue
    const owner = await io(path, 'reading a state lock file', () => env.readFile(path), 'ENOENT')
    if (owner !== undefined) locks.push({ path, gen: rest === '' ? -1 : Number(rest), owner })
  }
  return { locks, temps }
}

/**
 * Run holding the lock: removes the other lock files (all have dead owners) and dead owners'
 * temp files. Best effort: a dead owner's file left behind only costs a read per acquisition.
 */
const cleanup = async (env: LockEnv, others: readonly Found[], temps: readonly string[]): Promise<void> => {
  const gone = (path: string) => env.unlink(path).catch(() => undefined)
  for (const f of others) await gone(f.path)
  for (const t of temps) {
    const owner = await env.readFile(t).catch(() => undefined)
    if (owner !== undefined && env.isDead(owner)) await gone(t)
  }
}

const describeOwner = (f: Found | undefined): string => {
  const o = f === undefined ? undefined : parseOwner(f.owner)
  return o === undefined ? 'another process' : `process ${o.pid} on ${o.host} (${basename(f!.path)})`
}

export interface HeldLock {
  readonly path: string
}

/** Acquires the lock (the protocol above); Busy after `timeoutMs`. */
export const acquireLock = async (
  lockPath: string,
  timeoutMs: number,
  env: LockEnv = nodeLockEnv,
): Promise<E.Either<StorageError, HeldLock>> => {
  const deadline = env.now() + timeoutMs
  const tmp = `${lockPath}.tmp-${randomBytes(6).toString('hex')}`
  let linked: string | undefined // our lock file while we do not hold it yet
  try {
    await io(tmp, 'writing the state lock owner', () => env.writeFile(tmp, env.self))
    try {
      for (let attempt = 0; ; attempt++) {
        const seen = await scan(env, lockPath)
        let holder = seen.locks.find((f) => !env.isDead(f.owner))
        if (holder === undefined) {
          const mine = `${lockPath}.${Math.max(-1, ...seen.locks.map((f) => f.gen)) + 1}`
          if (
            (await io(mine, 'creating the state lock', () => env.link(tmp, mine).then(() => true), 'EEXIST')) === true
          ) {
            linked = mine
            const now = await scan(env, lockPath)
            holder = now.locks.find((f) => f.path !== mine && !env.isDead(f.owner))
            if (holder === undefined) {
              linked = undefined
              await cleanup(
                env,
                now.locks.filter((f) => f.path !== mine),
                now.temps.filter((t) => t !== tmp),
              )
              return E.right({ path: mine })
            }
            await io(mine, 'backing off from the state lock', () => env.unlink(mine), 'ENOENT')
            linked = undefined
          }
        }
        if (env.now() > deadline) {
          return E.left(err('Busy', { name: lockPath, reason: `simulator state locked by ${describeOwner(holder)}` }))
        }
        await env.sleep(Math.min(20, 1 + attempt) * (0.5 + Math.random()))
      }
    } finally {
      if (linked !== undefined) await env.unlink(linked).catch(() => undefined) // failed before holding
      await env.unlink(tmp).catch(() => undefined)
    }
  } catch (e) {
    return E.left(carried(e) ?? ioError('EIO', lockPath, `taking the state lock: ${String(e)}`, e))
  }
}

/** Releases a lock `acquireLock` gave. */
export const releaseLock = async (
  held: HeldLock,
  env: LockEnv = nodeLockEnv,
): Promise<E.Either<StorageError, void>> => {
  try {
    await io(held.path, 'releasing the state lock', () => env.unlink(held.path), 'ENOENT')
    return E.right(undefined)
  } catch (e) {
    return E.left(carried(e) ?? ioError('EIO', held.path, `releasing the state lock: ${String(e)}`, e))
  }
}

export interface FileLock {
  /** runs `body` holding the lock (queued behind this process's other holders) */
  run<A>(body: () => Promise<E.Either<StorageError, A>>): Promise<E.Either<StorageError, A>>
}

/** one queue per lock file in this process */
const queues = new Map<string, Promise<unknown>>()

export const fileLock = (lockPath: string, opts: LockOptions = {}): FileLock => ({
  run: (body) => {
    const next = (queues.get(lockPath) ?? Promise.resolve()).then(async () => {
      const got = await acquireLock(lockPath, opts.timeoutMs ?? 60_000)
      if (E.isLeft(got)) return got
      try {
        return await body()
      } finally {
        await releaseLock(got.right)
      }
    })
    queues.set(
      lockPath,
      next.catch(() => undefined),
    )
    return next
  },
})
