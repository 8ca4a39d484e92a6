/**
 * The space figures (src/space.ts), kept as byte totals in the object maps' nodes and as each
 * snapshot's `written`, against the plain computation walking every object (space-oracle.ts).
 */
import { copyFile, mkdtemp, open } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import type { DatasetName } from '@stratum/core'
import { makeDriver, memoryBacking } from '../src/driver.js'
import { createSimDriver, openSimDriver } from '../src/index.js'
import { spaceOf } from '../src/space.js'
import { newState, type State } from '../src/state.js'
import { BOOT, encodeUber, newestUber, UBER_BYTES } from '../src/store/format.js'
import { writeFreshStore } from '../src/store/fresh.js'
import * as oracle from './space-oracle.js'
import { bytes, ds, ok, sn } from './helpers.js'

const tmp = () => mkdtemp(join(tmpdir(), 'sim-space-'))

const figures = (st: State) =>
  Object.fromEntries(
    [...st.datasets.values()].map((d) => {
      const { used, referenced, written } = spaceOf(st, d)
      return [d.name, { used, referenced, written }]
    }),
  )

const oracleFigures = (st: State) =>
  Object.fromEntries(
    [...st.datasets.values()].map((d) => [
      d.name,
      { used: oracle.usedOf(st, d), referenced: oracle.referencedOf(d.objset), written: oracle.writtenOf(st, d) },
    ]),
  )

const op = fc.oneof(
  fc.record({ write: fc.nat(4), file: fc.nat(5), size: fc.nat(40), append: fc.boolean() }),
  // enough objects for the maps to grow branches below branches
  { arbitrary: fc.record({ many: fc.nat(4), count: fc.integer({ min: 20, max: 80 }) }), weight: 3 },
  fc.record({ prune: fc.nat(4), mod: fc.integer({ min: 2, max: 5 }) }),
  fc.record({ chmod: fc.nat(4), file: fc.nat(5) }),
  fc.record({ unlink: fc.nat(4), file: fc.nat(5) }),
  fc.record({ link: fc.nat(4), file: fc.nat(5), to: fc.nat(5) }),
  fc.record({ rename: fc.nat(4), file: fc.nat(5), to: fc.nat(5) }),
  { arbitrary: fc.record({ snapshot: fc.nat(4) }), weight: 3 },
  fc.record({ clone: fc.nat(20) }),
  fc.record({ promote: fc.nat(4) }),
  fc.record({ destroySnap: fc.nat(20) }),
  fc.record({ destroy: fc.nat(4) }),
)
type Op = typeof op extends fc.Arbitrary<infer A> ? A : never

describe('space figures', () => {
  // After any sequence of file changes, snapshots, clones, promotes and destroys, every
  // dataset's used, referenced and written are the plain walk's, and the same read back from a state file.
  it('equal the plain computation, in memory and read back from a state file', async () => {
    const dir = await tmp()
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 40 }), async (ops) => {
        const st = newState(['p'])
        const d = makeDriver(memoryBacking(st, () => TE.right(undefined)))
        await d.create(ds('p/a'))()
        const dss = () => [...st.byName.keys()].filter((n) => n !== 'p') as DatasetName[]
        const snaps = () => [...st.snaps.values()].map((s) => `${st.datasets.get(s.ds)!.name}@${s.short}`)
        const pick = <A>(xs: readonly A[], i: number): A | undefined => xs[i % Math.max(1, xs.length)]
        let n = 0
        const many: string[] = []
        const apply = async (o: Op): Promise<unknown> => {
          const name = pick(dss(), Object.values(o)[0] as number)
          const tree = name === undefined ? undefined : await d.fs(name)()
          const fs = tree !== undefined && tree._tag === 'Right' ? tree.right : undefined
          if ('write' in o)
            return fs?.writeFile(`f${o.file}`, new Uint8Array(o.size).fill(n++), {
              flag: o.append ? 'append' : 'truncate',
            })()
          if ('many' in o) {
            for (let i = 0; i < o.count; i++) {
              many.push(`m${n}-${i}`)
              await fs?.writeFile(many.at(-1)!, new Uint8Array(i + 1))()
            }
            return n++
          }
          // removes most of them, so branches fold back into leaves
          if ('prune' in o) {
            for (const [i, m] of many.entries()) if (i % o.mod !== 0) await fs?.unlink(m)()
            return
          }
          if ('chmod' in o) return fs?.chmod(`f${o.file}`, 0o600 + (n++ % 64))()
          if ('unlink' in o) return fs?.unlink(`f${o.file}`)()
          if ('link' in o) return fs?.link(`f${o.file}`, `f${o.to}`)()
          if ('rename' in o) return fs?.rename(`f${o.file}`, `f${o.to}`)()
          if ('snapshot' in o) return name && d.snapshot(sn(`${name}@s${n++}`))()
          if ('clone' in o) {
            const s = pick(snaps(), o.clone)
            return s && d.clone(sn(s), ds(`p/c${n++}`))()
          }
          if ('promote' in o) return name && d.promote(name)()
          if ('destroySnap' in o) {
            const s = pick(snaps(), o.destroySnap)
            return s && d.destroy(sn(s))()
          }
          if ('destroy' in o) return name && d.destroy(name)()
        }
        for (const o of ops) {
          await apply(o)
          expect(figures(st)).toEqual(oracleFigures(st))
        }
        const file = join(dir, `state-${run++}`)
        writeFreshStore(file, st)
        const back = await ok(openSimDriver({ stateFile: file }))
        const want = figures(st)
        for (const name of Object.keys(want)) {
          const { used, referenced, written } = await ok(back.space(ds(name)))
          expect({ used, referenced, written }).toEqual(want[name])
        }
      }),
      { numRuns: 60 },
    )
  })

  it('a content a snapshot and a changed file share counts once when the state is read back', async () => {
    const dir = await tmp()
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a')))
    const fs = await ok(d.fs(ds('p/a')))
    await ok(fs.writeFile('f', bytes('x'.repeat(100))))
    await ok(d.snapshot(sn('p/a@s')))
    await ok(fs.chmod('f', 0o600))
    expect((await ok(d.space(ds('p/a')))).used).toBe(100)
    await ok(d.saveState(join(dir, 'state')))
    const back = await ok(openSimDriver({ stateFile: join(dir, 'state') }))
    expect((await ok(back.space(ds('p/a')))).used).toBe(100)
  })

  it('a state file written before the totals were kept gives the same figures, and keeps them through a change', async () => {
    const file = join(await tmp(), 'state')
    await copyFile(join(import.meta.dirname, 'fixtures', 'state-before-space-totals'), file)
    // its newest commit is an unsynced one of the boot that wrote it: stamped with this boot's id,
    // it opens as in that boot (another boot's unsynced commit is passed over, backing.ts)
    const fd = await open(file, 'r+')
    const head = Buffer.alloc(UBER_BYTES)
    await fd.read(head, 0, UBER_BYTES, 0)
    const { at, buf } = encodeUber({ ...newestUber(head)!, boot: BOOT })
    await fd.write(buf, 0, buf.length, at)
    await fd.close()
    const d = await ok(openSimDriver({ stateFile: file }))
    const all = async () => {
      const out: Record<string, unknown> = {}
      for (const n of ['p', 'p/a', 'p/c']) {
        const { used, referenced, written } = await ok(d.space(ds(n)))
        out[n] = { used, referenced, written }
      }
      return out
    }
    // the figures the version that wrote the file gave before closing it
    expect(await all()).toEqual({
      p: { used: 2427, referenced: 0, written: 0 },
      'p/a': { used: 2220, referenced: 1673, written: 0 },
      'p/c': { used: 207, referenced: 1027, written: 7 },
    })
    await ok((await ok(d.fs(ds('p/c')))).writeFile('more', bytes('12345')))
    await ok(d.snapshot(sn('p/c@t2')))
    expect(await all()).toEqual({
      p: { used: 2432, referenced: 0, written: 0 },
      'p/a': { used: 2220, referenced: 1673, written: 0 },
      'p/c': { used: 212, referenced: 1032, written: 0 },
    })
  })
})
