/**
 * Recovery touches only the work of owners that are gone; container locks make concurrent
 * commits and removals of one container exclude each other.
 */
import { spawn } from 'node:child_process'
import { hostname } from 'node:os'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { createSimDriver } from '@stratum/sim-driver'
import { describe, expect, it } from 'vitest'
import type { Driver } from '../../src/driver.js'
import type { StorageError } from '../../src/errors.js'
import { datasetName, type PropertyName, snapshotName } from '../../src/names.js'
import { MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { openLayerStore } from '../../src/store/open.js'
import { defaultOwnerPolicy, parseOwner, processOwner, processStart } from '../../src/store/owner.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar, once } from './tar.js'

const P = (p: string) => p as PropertyName
const host = hostname().replace(/\//g, '_')

const deadPid = async (): Promise<number> => {
  const c = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
  await new Promise((r) => c.on('exit', r))
  return c.pid!
}

/** A tmp dataset as an extract in progress leaves it, owned by `owner`, started `agoMs` ago. */
const tmpOwnedBy = async (d: Driver, leaf: string, owner: string, agoMs = 0): Promise<void> => {
  await ok(
    d.clone(snapshotName(`${BASE}/storage/empty@extracted`), datasetName(`${BASE}/tmp/${leaf}`), {
      properties: {
        [P('stratum:owner')]: owner,
        [P('stratum:state')]: 'extracting',
        [P('stratum:created')]: new Date(Date.now() - agoMs).toISOString(),
      },
    }),
  )
}

const tmps = async (d: Driver): Promise<string[]> =>
  (await ok(d.list(datasetName(`${BASE}/tmp`))))
    .map((i) => i.name)
    .filter((n) => n !== `${BASE}/tmp`)
    .sort()

describe('owners of work in progress', () => {
  it('the process owner is host/pid/token and parses back', () => {
    expect(parseOwner(processOwner())).toMatchObject({ host, pid: process.pid })
    expect(parseOwner('no-pid')).toBeUndefined()
    expect(parseOwner(processOwner())?.start).toBe(processStart(process.pid))
  })

  it('opening a store collects dead, stale, unowned and predecessor work, and keeps live work', async () => {
    const d = createSimDriver()
    await ok(openLayerStore(d, BASE))
    const dead = await deadPid()
    await tmpOwnedBy(d, 'dead', `${host}/${dead}/aaaa`)
    await tmpOwnedBy(d, 'parent', `${host}/${process.ppid}/bbbb`)
    await tmpOwnedBy(d, 'parent-stale', `${host}/${process.ppid}/bbbb`, 7 * 3600_000)
    await tmpOwnedBy(d, 'parent-started', `${host}/${process.ppid}/s${processStart(process.ppid)}-bbbb`, 7 * 3600_000)
    await tmpOwnedBy(d, 'pid-reused', `${host}/${process.ppid}/s1-bbbb`)
    await tmpOwnedBy(d, 'other-host', `elsewhere/1/cccc`)
    await tmpOwnedBy(d, 'other-host-stale', `elsewhere/1/cccc`, 7 * 3600_000)
    await tmpOwnedBy(d, 'predecessor', `${host}/${process.pid}/not-this-process`)
    await tmpOwnedBy(d, 'self', processOwner())
    await ok(d.clone(snapshotName(`${BASE}/storage/empty@extracted`), datasetName(`${BASE}/tmp/unowned`)))
    const s = await ok(openLayerStore(d, BASE))
    // a live owner on this host is never collected, whatever its age; a reused pid (another start time) is not that owner
    const kept = ['other-host', 'parent', 'parent-stale', 'parent-started', 'self'].map((l) => `${BASE}/tmp/${l}`)
    expect(await tmps(d)).toEqual(kept)
    // the store says what opening it collected: the dead owners' work
    const gone = ['dead', 'other-host-stale', 'pid-reused', 'predecessor', 'unowned'].map((l) => `${BASE}/tmp/${l}`)
    expect([...s.recovered.destroyed].sort()).toEqual(gone)
    const report = await ok(s.recover())
    expect(report.destroyed).toEqual([])
    expect(report.skipped.map((k) => k.name).sort()).toEqual(kept)
    expect(report.skipped.find((k) => k.name === `${BASE}/tmp/other-host`)?.reason).toMatch(
      /host 'elsewhere'.*--owner-host=elsewhere/,
    )
    expect(report.skipped.find((k) => k.name === `${BASE}/tmp/parent-stale`)?.reason).toMatch(/runs on this host/)
  })

  it("another host's work is taken over when the operator names that host (never this host's live work)", async () => {
    const d = createSimDriver()
    await ok(openLayerStore(d, BASE))
    await tmpOwnedBy(d, 'other-host', 'elsewhere/1/cccc')
    await tmpOwnedBy(d, 'parent', `${host}/${process.ppid}/bbbb`)
    await ok(openLayerStore(d, BASE, { owner: defaultOwnerPolicy(undefined, { takeOverHosts: ['elsewhere', host] }) }))
    expect(await tmps(d)).toEqual([`${BASE}/tmp/parent`])
  })

  it("the staleness age (another host's work only) is configurable", async () => {
    const p = defaultOwnerPolicy(1000)
    expect(p.isLive('elsewhere/1/x', 999)).toBe(true)
    expect(p.isLive('elsewhere/1/x', 1001)).toBe(false)
    expect(p.isLive(`${host}/${process.ppid}/x`, 1001)).toBe(true)
    expect(p.isLive(undefined, 0)).toBe(false)
  })
})

/** A driver whose `method` calls wait for `release()` once `armed`. */
const pausing = (d: Driver, method: keyof Driver) => {
  let armed = false
  let release!: () => void
  const gate = new Promise<void>((r) => {
    release = r
  })
  let reached!: () => void
  const atGate = new Promise<void>((r) => {
    reached = r
  })
  const wrapped = new Proxy(d, {
    get: (target, prop, recv) => {
      const v = Reflect.get(target, prop, recv)
      if (prop !== method || typeof v !== 'function') return v
      return (...args: unknown[]) =>
        async () => {
          if (armed) {
            armed = false
            reached()
            await gate
          }
          return (v as (...a: unknown[]) => TaskEither<StorageError, unknown>).apply(target, args)()
        }
    },
  })
  return {
    driver: wrapped,
    arm: () => {
      armed = true
    },
    atGate,
    release,
  }
}

/** Container c1 with a change, a commit of it by a second store paused at its rename, and the first store. */
const pausedCommit = async (keep: boolean) => {
  const d = createSimDriver()
  const s = await ok(openLayerStore(d, BASE))
  await ok(s.start('c1', 'empty'))
  await ok(s.apply('c1', once(await makeTar([{ path: 'f', content: 'x' }]))))
  const p = pausing(d, 'rename')
  const a = await ok(openLayerStore(p.driver, BASE))
  p.arm()
  const committing = a.commit('c1', { keep })()
  await p.atGate
  return { d, s, p, committing }
}

describe('a store opened while another store works', () => {
  for (const keep of [false, true]) {
    it(`does not roll back a live commit (keep=${keep}); the commit then succeeds`, async () => {
      const { d, s, p, committing } = await pausedCommit(keep)
      // another store (this same process: its work is live) opens and recovers meanwhile
      const report = await ok((await ok(openLayerStore(d, BASE))).recover())
      expect(report.rolledBack).toEqual([])
      expect(report.destroyed).toEqual([])
      p.release()
      const r = await committing
      expect(E.isRight(r), JSON.stringify(r)).toBe(true)
      expect((await ok(s.listLayers())).map((l) => l.state)).toEqual(['ready'])
    })
  }

  it('a commit or removal of a container being committed is Busy; the first commit still succeeds', async () => {
    const { s, p, committing } = await pausedCommit(false)
    expect(await fail(s.commit('c1', { keep: false }))).toMatchObject({ _tag: 'Busy', name: `${BASE}/runtime/c1` })
    expect(await fail(s.removeContainer('c1'))).toMatchObject({ _tag: 'Busy', name: `${BASE}/runtime/c1` })
    p.release()
    expect(E.isRight(await committing)).toBe(true)
    expect(await fail(s.removeContainer('c1'))).toMatchObject({ _tag: 'DatasetNotFound', name: `${BASE}/runtime/c1` })
  })

  it('a removal of a container whose kept commit is between promote and publish is Busy', async () => {
    const { s, p, committing } = await pausedCommit(true)
    expect(await fail(s.removeContainer('c1'))).toMatchObject({ _tag: 'Busy' })
    expect(await fail(s.commit('c1', { keep: true }))).toMatchObject({ _tag: 'Busy' })
    p.release()
    const r = await committing
    expect(E.isRight(r) && r.right.deduped).toBe(false)
    expect(await ok(s.listContainers())).toEqual([
      expect.objectContaining({ id: 'c1', parent: E.isRight(r) ? r.right.chainId : '' }),
    ])
    await ok(s.removeContainer('c1'))
    expect(await ok(s.listContainers())).toEqual([])
  })

  it('a removal interrupted after taking the lock is finished by recovery', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(
      s.extractLayer('empty', once(await makeTar([{ path: 'f', content: 'x' }])), { mediaType: MEDIA_LAYER_TAR }),
    )
    await ok(s.start('c1', 'empty'))
    await ok(
      d.snapshot(snapshotName(`${BASE}/runtime/c1@extracted`), {
        properties: { [P('stratum:state')]: 'removing', [P('stratum:owner')]: `${host}/${await deadPid()}/x` },
      }),
    )
    const report = await ok(s.recover())
    expect(report.destroyed).toEqual([`${BASE}/runtime/c1`])
    expect(await ok(s.listContainers())).toEqual([])
  })

  it('a published layer whose @extracted still carries the commit lock record is finished by recovery', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const c = (
      await ok(
        s.extractLayer('empty', once(await makeTar([{ path: 'f', content: 'x' }])), { mediaType: MEDIA_LAYER_TAR }),
      )
    ).chainId
    const snap = s.layout.layerSnap(c)
    // a crash between "mark the layer ready" and "clear the lock record" (the order before the fix)
    await ok(d.setProperty(snap, P('stratum:state'), 'committing'))
    await ok(d.setProperty(snap, P('stratum:owner'), `${host}/${await deadPid()}/x`))
    const report = await ok(s.recover())
    expect(report.completed).toEqual([s.layout.layer(c)])
    expect((await ok(d.getProperty(snap, P('stratum:state'))))?.value).toBe('ready')
    expect(await ok(d.getProperty(snap, P('stratum:owner')))).toBeUndefined()
  })
})
