import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { createSimDriver } from '../src/index.js'
import { bytes, ds, ok, sn } from './helpers.js'

const names = ['a', 'b', 'c', 'a/b', 'a/c', 'b/a', 'c/c', 'a/b/c']
const path = fc.constantFrom(...names)
const op = fc.oneof(
  fc.record({ k: fc.constant('mkdir' as const), p: path }),
  fc.record({ k: fc.constant('write' as const), p: path }),
  fc.record({ k: fc.constant('rewrite' as const), p: path }),
  fc.record({ k: fc.constant('unlink' as const), p: path }),
  fc.record({ k: fc.constant('rmdir' as const), p: path }),
  fc.record({ k: fc.constant('rename' as const), p: path, q: path }),
  fc.record({ k: fc.constant('link' as const), p: path, q: path }),
  fc.record({ k: fc.constant('chmod' as const), p: path }),
)
type Op = typeof op extends fc.Arbitrary<infer T> ? T : never

/** Runs one op; records the objects that ever got a hard link (their diff names follow zfs's parent-pointer quirks). */
const run = async (t: FileTree, o: Op, linked: Set<number>): Promise<void> => {
  // failures (ENOENT, EEXIST, ...) are part of the random walk: ignore them
  switch (o.k) {
    case 'mkdir':
      await t.mkdir(o.p)()
      break
    case 'write':
      await t.writeFile(o.p, bytes(o.p))()
      break
    case 'rewrite':
      await t.writeFile(o.p, bytes('x'), { flag: 'truncate' })()
      break
    case 'unlink':
      await t.unlink(o.p)()
      break
    case 'rmdir':
      await t.rmdir(o.p)()
      break
    case 'rename':
      await t.rename(o.p, o.q)()
      break
    case 'link': {
      const r = await t.link(o.p, o.q)()
      if (r._tag === 'Right') linked.add((await ok(t.lstat(o.q))).ino)
      break
    }
    case 'chmod':
      await t.chmod(o.p, 0o600)()
      break
  }
}

/** The root's key: a snapshot's root reports its own inode number, as on real ZFS, but is the same directory. */
const ROOT = -1

/** ino -> every path naming it ('/' for the root); `entries` gets ino -> `<parent ino>/<name>` of each name. */
const objects = async (t: FileTree, entries = new Map<number, Set<string>>()): Promise<Map<number, Set<string>>> => {
  const out = new Map<number, Set<string>>()
  const walk = async (p: string, parent: number, name: string): Promise<void> => {
    const st = await ok(t.lstat(p))
    const ino = p === '' ? ROOT : st.ino
    const shown = p === '' ? '/' : `/${p}`
    out.set(ino, (out.get(ino) ?? new Set()).add(shown))
    entries.set(ino, (entries.get(ino) ?? new Set()).add(`${parent}/${name}`))
    if (st.type === '/') for (const n of await ok(t.readdir(p))) await walk(p === '' ? n : `${p}/${n}`, ino, n)
  }
  await walk('', 0, '')
  return out
}

describe('diff against the trees', () => {
  // For any changes after a snapshot: every object gone has a '-', every new one a '+', each object moved itself
  // (not just carried along inside a moved directory) an 'R',
  // and every path is a real name of its object on its side (hard-linked objects: any of their names).
  it('records match the objects and names of the two trees', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 15 }), fc.array(op, { maxLength: 15 }), async (before, after) => {
        const d = createSimDriver({ pools: ['p'] })
        await ok(d.create(ds('p/a')))
        const t = await ok(d.fs(ds('p/a')))
        const linked = new Set<number>()
        for (const o of before) await run(t, o, linked)
        await ok(d.snapshot(sn('p/a@s')))
        const fromEntries = new Map<number, Set<string>>()
        const toEntries = new Map<number, Set<string>>()
        const from = await objects(await ok(d.fs(sn('p/a@s'))), fromEntries)
        for (const o of after) await run(t, o, linked)
        const to = await objects(t, toEntries)
        const recs = await ok(d.diff(sn('p/a@s'), ds('p/a')))
        const gone = [...from.keys()].filter((k) => !to.has(k))
        const added = [...to.keys()].filter((k) => !from.has(k))
        const pathsOf = (m: Map<number, Set<string>>, ks: number[]) => ks.flatMap((k) => [...m.get(k)!])
        const linkedIn = (m: Map<number, Set<string>>) => [...m.keys()].filter((k) => linked.has(k))
        for (const r of recs) {
          if (r.change === '-') expect([...pathsOf(from, gone), ...pathsOf(from, linkedIn(from))]).toContain(r.path)
          if (r.change === '+') expect([...pathsOf(to, added), ...pathsOf(to, linkedIn(to))]).toContain(r.path)
          if (r.change === 'R') {
            const ino = [...from].find(([, ps]) => ps.has(r.path))?.[0]
            expect(ino).toBeDefined()
            expect([...to.get(ino!)!]).toContain(r.newPath)
          }
        }
        // objects never hard-linked: exactly one '-' per object gone, one '+' per object added, 'R' when moved itself
        for (const k of gone.filter((g) => !linked.has(g))) {
          expect(recs).toContainEqual(expect.objectContaining({ change: '-', path: [...from.get(k)!][0] }))
        }
        for (const k of added.filter((g) => !linked.has(g))) {
          expect(recs).toContainEqual(expect.objectContaining({ change: '+', path: [...to.get(k)!][0] }))
        }
        for (const [ino, ps] of from) {
          const now = to.get(ino)
          if (now === undefined || linked.has(ino)) continue
          const [a] = [...ps]
          const [b] = [...now]
          // moved itself (another directory or another name), not only carried along by a moved ancestor
          const moved = [...fromEntries.get(ino)!][0] !== [...toEntries.get(ino)!][0]
          if (moved) expect(recs).toContainEqual(expect.objectContaining({ change: 'R', path: a, newPath: b }))
        }
      }),
      {
        numRuns: 150,
        // regression: a file carried along by its renamed directory is not itself moved (no 'R' for b/a)
        examples: [
          [
            [
              { k: 'mkdir', p: 'b' },
              { k: 'rewrite', p: 'b/a' },
            ],
            [{ k: 'rename', p: 'b', q: 'a' }],
          ],
        ],
      },
    )
  })
})
