/**
 * The state-file lock (shared-lock.ts, issue 6): scripted interleavings of simulated processes
 * (every file operation one step the test lets run), random interleavings with crashes, the
 * plain cases on the real file system, and real processes counting under the lock while one
 * is SIGKILLed.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import * as fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { ownerHost } from '@stratum/core/internal'
import { describe, expect, it } from 'vitest'
import { acquireLock, releaseLock } from '../src/shared-lock.js'
import { type Actor, type Op, World } from './fixtures/lock-actors.js'
import {
  highestOnlyAcquire,
  highestOnlyRelease,
  renameAsideAcquire,
  renameAsideRelease,
} from './fixtures/lock-protocols.js'

const tempLock = async () => join(await mkdtemp(join(tmpdir(), 'sim-lock-')), 'state.lock')
const isOp = (op: string, path?: string) => (o: Op) => o.op === op && (path === undefined || o.path === path)

/** the new protocol as an actor's task: acquire (it must not fail), then mark holding */
const take = (lock: string, a: Actor) =>
  a.start(async () => {
    const got = await acquireLock(lock, 60_000, a.env())
    if (E.isLeft(got)) throw new Error(JSON.stringify(got.left))
    a.holding = true
    return got.right
  })
const give = (lock: string, a: Actor, n: number) => {
  a.holding = false
  a.start(() => releaseLock({ path: `${lock}.${n}` }, a.env()))
}
/** steps each actor a few times: none of them gets the lock meanwhile */
const stillWaiting = async (...actors: Actor[]) => {
  for (let i = 0; i < 8; i++) for (const a of actors) await a.step()
  for (const a of actors) expect(a.finished).toBe(false)
}

describe('state lock: scripted interleavings of three processes after a crash', () => {
  it('the old rename-aside breaking lets two processes hold the lock (issue 6, replayed on a re-implementation)', async () => {
    const lock = await tempLock()
    const w = new World()
    await writeFile(lock, w.deadOwner('S'))
    const [a, b, c] = [w.actor('A'), w.actor('B'), w.actor('C')]
    for (const x of [a, b]) x.start(() => renameAsideAcquire(lock, x))
    await a.stepUntil(isOp('readFile', lock)) // A sees the stale lock S
    await b.stepUntil(isOp('readFile', lock)) // so does B
    await a.finish() // A moves S aside and takes the lock
    await b.stepUntil(isOp('rename', lock)) // B moves A's live lock aside
    c.start(() => renameAsideAcquire(lock, c))
    await c.finish() // C takes the free name
    await b.stepUntil(isOp('link', lock)) // B's link-back fails: EEXIST
    expect(w.holders()).toEqual(['A', 'C'])
  })

  it('judging generation files by the highest one only also lets two processes hold it', async () => {
    const lock = await tempLock()
    const w = new World()
    await writeFile(`${lock}.5`, w.deadOwner('S'))
    const [a, b, c] = [w.actor('A'), w.actor('B'), w.actor('C')]
    let bFile = ''
    b.start(async () => {
      bFile = await highestOnlyAcquire(lock, b)
    })
    await b.stepUntil(isOp('readFile', `${lock}.5`)) // B sees .5 dead: it will link .6
    let aFile = ''
    a.start(async () => {
      aFile = await highestOnlyAcquire(lock, a)
    })
    await a.finish() // A links .6, removes the dead .5
    a.start(() => highestOnlyRelease(aFile, a))
    await a.finish() // and releases: no lock file left
    c.start(() => highestOnlyAcquire(lock, c))
    await c.finish() // C links .0
    await b.finish() // B links .6 and finds nothing higher
    expect([aFile, bFile]).toEqual([`${lock}.6`, `${lock}.6`])
    expect(w.holders().sort()).toEqual(['B', 'C'])
  })

  it('the new protocol, the issue-6 interleaving: A and B both see the dead lock; only one ever holds', async () => {
    const lock = await tempLock()
    const w = new World()
    await writeFile(`${lock}.0`, w.deadOwner('S'))
    const [a, b, c] = [w.actor('A'), w.actor('B'), w.actor('C')]
    take(lock, a)
    take(lock, b)
    await a.stepUntil(isOp('readFile', `${lock}.0`))
    await b.stepUntil(isOp('readFile', `${lock}.0`))
    await a.finish()
    expect(w.holders()).toEqual(['A'])
    expect(await b.stepUntil(isOp('link'))).toEqual({ op: 'link', path: `${lock}.1` }) // EEXIST: A has it
    take(lock, c)
    await stillWaiting(b, c)
    expect(w.holders()).toEqual(['A'])
    expect((await readdir(join(lock, '..'))).filter((n) => !n.includes('tmp'))).toEqual(['state.lock.1']) // the dead .0 is gone
    give(lock, a, 1)
    await a.finish()
    await b.finish()
    expect(w.holders()).toEqual(['B'])
    await stillWaiting(c)
  })

  it('the new protocol, the highest-only interleaving: a late link above a live holder backs off', async () => {
    const lock = await tempLock()
    const w = new World()
    await writeFile(`${lock}.5`, w.deadOwner('S'))
    const [a, b, c] = [w.actor('A'), w.actor('B'), w.actor('C')]
    take(lock, b)
    await b.stepUntil(isOp('readFile', `${lock}.5`)) // B will link .6
    take(lock, a)
    await a.finish()
    give(lock, a, 6)
    await a.finish()
    take(lock, c)
    await c.finish()
    expect(w.holders()).toEqual(['C'])
    expect(await b.stepUntil(isOp('link'))).toEqual({ op: 'link', path: `${lock}.6` }) // succeeds: .6 was free
    expect(await b.stepUntil(isOp('unlink'))).toEqual({ op: 'unlink', path: `${lock}.6` }) // B saw C alive: backs off
    await stillWaiting(b)
    expect(w.holders()).toEqual(['C'])
  })

  it('two processes linking different files at once both back off, then one of them gets it', async () => {
    const lock = await tempLock()
    const w = new World()
    await writeFile(`${lock}.0`, w.deadOwner('S'))
    const [a, b, c] = [w.actor('A'), w.actor('B'), w.actor('C')]
    take(lock, b)
    await b.stepUntil(isOp('readFile', `${lock}.0`)) // B will link .1
    take(lock, a)
    await a.finish()
    give(lock, a, 1)
    await a.finish() // no lock file left
    take(lock, c)
    await c.stepUntil(isOp('readdir')) // C sees none: it will link .0
    await b.stepUntil(isOp('link'))
    await c.stepUntil(isOp('link'))
    await b.stepUntil(isOp('readFile', `${lock}.0`)) // B sees C's file: C alive
    await c.stepUntil(isOp('readFile', `${lock}.1`)) // C sees B's file: B alive
    expect(await b.stepUntil(isOp('unlink'))).toEqual({ op: 'unlink', path: `${lock}.1` })
    expect(await c.stepUntil(isOp('unlink'))).toEqual({ op: 'unlink', path: `${lock}.0` })
    expect(w.holders()).toEqual([])
    for (let i = 0; i < 100 && w.holders().length === 0; i++) for (const x of [b, c]) if (!x.finished) await x.step()
    expect(w.holders().length).toBe(1)
  })
})

type Protocol = {
  acquire: (lock: string, a: Actor) => Promise<string>
  release: (lock: string, a: Actor, held: string) => Promise<void>
}

const NEW: Protocol = {
  acquire: async (lock, a) => {
    const got = await acquireLock(lock, 60_000, a.env())
    if (E.isLeft(got)) throw new Error(JSON.stringify(got.left))
    return got.right.path
  },
  release: async (_, a, held) => {
    await releaseLock({ path: held }, a.env())
  },
}
const RENAME_ASIDE: Protocol = {
  acquire: async (lock, a) => {
    await renameAsideAcquire(lock, a)
    return lock
  },
  release: (lock, a) => renameAsideRelease(lock, a),
}
const HIGHEST_ONLY: Protocol = { acquire: highestOnlyAcquire, release: (_, a, held) => highestOnlyRelease(held, a) }

/** an actor that takes the lock, does two steps of work holding it, releases it, forever */
const worker = (p: Protocol, lock: string, a: Actor) =>
  a.start(async () => {
    for (;;) {
      const held = await p.acquire(lock, a)
      a.holding = true
      for (let i = 0; i < 2; i++) await a.gate('work', lock, async () => undefined)
      a.holding = false
      await p.release(lock, a, held)
    }
  })

/** steps of one actor at a time (mostly one, sometimes a long run while the others stall); kill 0: a death */
const schedules = fc.tuple(
  fc.array(
    fc.record({
      who: fc.nat(3),
      burst: fc.oneof({ arbitrary: fc.constant(1), weight: 3 }, fc.integer({ min: 2, max: 25 })),
      kill: fc.nat(10),
    }),
    { minLength: 20, maxLength: 80, size: 'max' },
  ),
  fc.integer(),
)

/**
 * Four workers stepped as `schedule` says (a death kills the holder, or the actor named when none
 * holds, while more than two live); then, with `liveness`, the survivors stepped in a random
 * order until each has held the lock. 'two holders' as soon as two live actors hold it at once.
 */
const explore = async (
  p: Protocol,
  [schedule, seed]: [{ who: number; burst: number; kill: number }[], number],
  liveness: boolean,
): Promise<'ok' | 'two holders'> => {
  const lock = await tempLock()
  const w = new World()
  const actors = ['A', 'B', 'C', 'D'].map((n) => w.actor(n))
  try {
    for (const a of actors) worker(p, lock, a)
    for (const { who, burst, kill } of schedule) {
      const a = actors[who]!
      if (kill === 0 && actors.filter((x) => x.alive).length > 2) (actors.find((x) => x.alive && x.holding) ?? a).kill()
      for (let i = 0; i < burst && a.alive; i++) {
        await a.step()
        if (w.holders().length > 1) return 'two holders'
      }
    }
    if (!liveness) return 'ok'
    const live = actors.filter((x) => x.alive)
    const held = new Set<string>()
    let r = seed
    for (let i = 0; i < 4000 && held.size < live.length; i++) {
      r = (Math.imul(r, 1103515245) + 12345) | 0 // steps in a random order: backing off is random too
      const a = live[(r >>> 16) % live.length]!
      await a.step()
      if (a.holding) held.add(a.name)
      if (w.holders().length > 1) return 'two holders'
    }
    expect(held.size).toBe(live.length)
    return 'ok'
  } finally {
    for (const a of actors) a.kill()
  }
}

describe('state lock: random interleavings', () => {
  // Whatever the order of steps and whichever processes die between steps, at most one live process holds the lock, and the survivors all get it in turn.
  it('never two live holders; dead holders are taken over; every survivor gets the lock', async () => {
    await fc.assert(
      fc.asyncProperty(schedules, async (s) => {
        expect(await explore(NEW, s, true)).toBe('ok')
      }),
      { numRuns: Number(process.env.STRATUM_LOCK_RUNS ?? 100) },
    )
  })

  it('the same exploration finds two holders with the old rename-aside breaking and with highest-only judging', async () => {
    // a fixed seed: these protocols use no randomness, so the search is repeatable (here: found after 43 and 14 runs)
    for (const p of [RENAME_ASIDE, HIGHEST_ONLY]) {
      let found = false
      await fc.check(
        fc.asyncProperty(schedules, async (s) => {
          found = (await explore(p, s, false)) === 'two holders'
          return !found
        }),
        { numRuns: 2000, endOnFailure: true, seed: 4 },
      )
      expect(found).toBe(true)
    }
  })
})

describe('state lock: one process on the real file system', () => {
  const deadPid = async () => {
    const c = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    await new Promise((r) => c.on('exit', r))
    return c.pid!
  }

  it("a dead process's lock and temp file are taken over and removed; release removes the lock file", async () => {
    const lock = await tempLock()
    const dead = `${ownerHost()}/${await deadPid()}/xyz\n`
    await writeFile(`${lock}.3`, dead)
    await writeFile(`${lock}.tmp-abc`, dead)
    const got = await acquireLock(lock, 1000)
    expect(got).toEqual(E.right({ path: `${lock}.4` }))
    expect(await readdir(join(lock, '..'))).toEqual(['state.lock.4'])
    expect(await releaseLock({ path: `${lock}.4` })).toEqual(E.right(undefined))
    expect(await readdir(join(lock, '..'))).toEqual([])
  })

  it('a live holder makes another acquirer wait until it releases, or Busy naming it after the timeout', async () => {
    const lock = await tempLock()
    const first = await acquireLock(lock, 1000)
    expect(E.isRight(first)).toBe(true)
    const second = acquireLock(lock, 5000)
    await new Promise((r) => setTimeout(r, 100))
    expect(await readFile(`${lock}.0`, 'utf8')).toContain(`/${process.pid}/`)
    await releaseLock({ path: `${lock}.0` })
    const got = await second
    expect(got).toEqual(E.right({ path: `${lock}.0` }))
    await releaseLock({ path: `${lock}.0` })
    await writeFile(`${lock}.7`, `${ownerHost()}/${process.ppid}/xyz\n`)
    const busy = await acquireLock(lock, 200)
    expect(E.isLeft(busy) && busy.left).toMatchObject({
      _tag: 'Busy',
      name: lock,
      reason: `simulator state locked by process ${process.ppid} on ${hostname()} (state.lock.7)`,
    })
  })

  it('a file system error is an Io error naming the path', async () => {
    const lock = join(await tempLock(), '..', 'missing', 'state.lock')
    const got = await acquireLock(lock, 1000)
    expect(E.isLeft(got) && got.left).toMatchObject({ _tag: 'Io', code: 'ENOENT' })
    expect(E.isLeft(got) && got.left._tag === 'Io' && got.left.path.startsWith(`${lock}.`)).toBe(true)
  })
})

describe('state lock: real processes', () => {
  const repoRoot = join(import.meta.dirname, '..', '..', '..')
  const child = (file: string, name: string, count: number, mode = '') => {
    const proc = spawn(
      process.execPath,
      [
        '--conditions=@stratum/source',
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures', 'lock-counter-child.ts'),
        file,
        name,
        String(count),
        mode,
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let out = ''
    let errText = ''
    proc.stdout.on('data', (b: Buffer) => {
      out += b.toString()
    })
    proc.stderr.on('data', (b: Buffer) => {
      errText += b.toString()
    })
    const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)))
    const saw = async (line: string) => {
      while (!out.includes(line)) {
        if (proc.exitCode !== null) throw new Error(`child ${name} exited: ${errText}`)
        await new Promise((r) => setTimeout(r, 10))
      }
    }
    return { proc, exited, saw, done: () => [...out.matchAll(/^done (\S+)$/gm)].map((m) => m[1]!), err: () => errText }
  }

  it('processes counting under the lock lose no increment while one is SIGKILLed holding it and one mid-work', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'sim-lock-procs-')), 'state')
    const holder = child(file, 'h', 100_000, 'hang')
    await holder.saw('holding')
    const workers = ['w0', 'w1', 'w2', 'w3'].map((n) => child(file, n, 25))
    const random = child(file, 'r', 100_000)
    await new Promise((r) => setTimeout(r, 300)) // the others wait meanwhile
    expect(workers.map((w) => w.done())).toEqual([[], [], [], []])
    holder.proc.kill('SIGKILL')
    await random.saw('done r:0')
    await new Promise((r) => setTimeout(r, 50 + Math.random() * 200))
    random.proc.kill('SIGKILL')
    expect(await Promise.all(workers.map((w) => w.exited)), workers.map((w) => w.err()).join('')).toEqual([0, 0, 0, 0])
    await Promise.all([random.exited, holder.exited])
    const list = JSON.parse(await readFile(file, 'utf8')) as string[]
    expect(new Set(list).size).toBe(list.length)
    for (const c of [...workers, random, holder]) for (const entry of c.done()) expect(list).toContain(entry)
    for (const n of ['w0', 'w1', 'w2', 'w3'])
      expect(list.filter((e) => e.startsWith(`${n}:`))).toEqual(Array.from({ length: 25 }, (_, i) => `${n}:${i}`))
    expect(list.filter((e) => e.startsWith('h:'))).toEqual(Array.from({ length: 10 }, (_, i) => `h:${i}`))
    expect(list.filter((e) => e.startsWith('r:')).length - random.done().length).toBeLessThanOrEqual(1)
    // what the killed left behind is gone after the next acquisition
    const last = await acquireLock(`${file}.lock`, 1000)
    expect(E.isRight(last) && (await releaseLock(last.right))).toEqual(E.right(undefined))
    // (a temp file of a process killed while writing it holds no complete owner record: it stays)
    for (const n of (await readdir(join(file, '..'))).filter((n) => n.startsWith('state.lock'))) {
      expect(n).toMatch(/^state\.lock\.tmp-/)
      expect(await readFile(join(file, '..', n), 'utf8')).not.toMatch(/\n$/)
    }
  })
})
