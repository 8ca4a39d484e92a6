/**
 * packageLayer round trip on random changes: the package of (parent, layer) applied onto a
 * clone of the parent gives the layer's tree, metadata included, and packaging twice gives
 * the same bytes. Known limit (documented in package-plan.ts): when a file that had several
 * names in the PARENT changes, `zfs diff` reports one name, so the generator changes content
 * and metadata only of objects with one name, and parent trees have no hard links.
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { Capabilities, FileTree } from '@stratum/core'
import type { SuiteContext } from '../context.js'
import { checkProperty } from '../property/config.js'
import { layerPair, packageBytes, roundTrip } from './package-fixtures.js'
import { layerRuns } from './apply-tar.js'

type Op =
  | {
      readonly op: 'write'
      readonly p: string
      readonly body: string
      readonly mtimeMs: number
      readonly truncate: boolean
    }
  | { readonly op: 'mkdir' | 'rmrf' | 'fifo'; readonly p: string }
  | { readonly op: 'rename' | 'link'; readonly p: string; readonly q: string }
  | { readonly op: 'symlink'; readonly p: string; readonly target: string }
  | { readonly op: 'chmod'; readonly p: string; readonly mode: number }
  | { readonly op: 'chown'; readonly p: string; readonly uid: number }
  | { readonly op: 'utimes'; readonly p: string; readonly mtimeMs: number }
  | { readonly op: 'xattr'; readonly p: string; readonly value: string | undefined }

const pathArb = fc.array(fc.constantFrom('a', 'b', 'c'), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('/'))
const timeArb = fc
  .integer({ min: 1_000_000_000, max: 1_000_999_999 })
  .map((n) => n * 1000 + (n % 3 === 0 ? 0 : n % 1000))
const opArb = (links: boolean): fc.Arbitrary<Op> =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record({
        op: fc.constant('write' as const),
        p: pathArb,
        body: fc.constantFrom('', 'x', 'hello', 'y'.repeat(700)),
        mtimeMs: timeArb,
        truncate: fc.boolean(),
      }),
    },
    { weight: 3, arbitrary: fc.record({ op: fc.constant('mkdir' as const), p: pathArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('rmrf' as const), p: pathArb }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('fifo' as const), p: pathArb }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('rename' as const), p: pathArb, q: pathArb }) },
    { weight: links ? 2 : 0, arbitrary: fc.record({ op: fc.constant('link' as const), p: pathArb, q: pathArb }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('symlink' as const),
        p: pathArb,
        target: fc.constantFrom('a', '../b', '/c'),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('chmod' as const),
        p: pathArb,
        mode: fc.constantFrom(0o755, 0o4711, 0o600, 0o1777),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ op: fc.constant('chown' as const), p: pathArb, uid: fc.constantFrom(0, 1000) }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('utimes' as const), p: pathArb, mtimeMs: timeArb }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('xattr' as const),
        p: pathArb,
        value: fc.option(fc.constantFrom('v', 'w'), { nil: undefined }),
      }),
    },
  )

const rmrf = async (t: FileTree, p: string): Promise<void> => {
  const st = await t.lstat(p)()
  if (E.isLeft(st)) return
  if (st.right.type === '/')
    for (const c of E.getOrElse((): readonly string[] => [])(await t.readdir(p)())) await rmrf(t, `${p}/${c}`)
  await (st.right.type === '/' ? t.rmdir(p) : t.unlink(p))()
}

const mkdirp = async (t: FileTree, p: string): Promise<void> => {
  const parts = p.split('/')
  for (let i = 1; i < parts.length; i++) await t.mkdir(parts.slice(0, i).join('/'))()
}

/** Runs one op (creating missing parents), ignoring the file tree's refusals; metadata changes only touch objects with one name. */
const run = async (t: FileTree, caps: Capabilities, o: Op): Promise<void> => {
  if (['write', 'mkdir', 'fifo', 'symlink'].includes(o.op)) await mkdirp(t, o.p)
  if (o.op === 'rename' || o.op === 'link') await mkdirp(t, o.q)
  const st = await t.lstat(o.p)()
  const single = E.isRight(st) && (st.right.type === '/' || st.right.nlink === 1)
  switch (o.op) {
    case 'write':
      if (o.truncate && E.isRight(st) && !single) return
      await t.writeFile(o.p, Buffer.from(o.body), { mtimeMs: o.mtimeMs, flag: o.truncate ? 'truncate' : 'create' })()
      return
    case 'mkdir':
      await t.mkdir(o.p)()
      return
    case 'rmrf':
      await rmrf(t, o.p)
      return
    case 'fifo':
      await t.mknod(o.p, '|', { mode: 0o644 })()
      return
    case 'rename':
      await t.rename(o.p, o.q)()
      return
    case 'link':
      await t.link(o.p, o.q)()
      return
    case 'symlink':
      await t.symlink(o.target, o.p)()
      return
    case 'chmod':
      if (single) await t.chmod(o.p, o.mode)()
      return
    case 'chown':
      if (single && caps.chown) await t.chown(o.p, o.uid, o.uid)()
      return
    case 'utimes':
      if (single) await t.utimes(o.p, o.mtimeMs)()
      return
    case 'xattr':
      if (!single || !caps.xattrs) return
      await (o.value === undefined ? t.removeXattr(o.p, 'user.x') : t.setXattr(o.p, 'user.x', Buffer.from(o.value)))()
  }
}

export const packageRoundTripChecks = (ctx: SuiteContext, opts: { numRuns?: number } = {}): void => {
  describe('layer packaging: round trip', () => {
    // Property: for random changes, package(parent, layer) applied onto a clone of parent gives the layer's tree, metadata included, and packaging twice gives identical bytes.
    it('the package of random changes, applied onto a clone of the parent, gives the layer; twice gives the same bytes', () =>
      ctx.withFixture(async ({ driver, base }) => {
        let n = 0
        const caps = driver.capabilities
        await checkProperty(
          fc.asyncProperty(
            fc.array(opArb(false), { maxLength: 25 }),
            fc.array(opArb(true), { minLength: 1, maxLength: 25 }),
            async (build, change) => {
              const name = `r${n++}`
              const pair = await layerPair(
                driver,
                base,
                name,
                async (t) => {
                  for (const o of build) await run(t, caps, o)
                },
                async (t) => {
                  for (const o of change) await run(t, caps, o)
                },
              )
              const rt = await roundTrip(driver, base, pair, name)
              expect(rt.got).toEqual(rt.want)
              expect(Buffer.from(await packageBytes(driver, pair)).equals(Buffer.from(rt.bytes))).toBe(true)
            },
          ),
          layerRuns(ctx.budget.property, opts.numRuns, 4),
        )
      }))
  })
}
