/**
 * space: the rule sentences of driver.ts on used, referenced, written and available. Real ZFS
 * adds metadata and may compress, so the rules are bounds; the written bytes are random (they
 * do not compress) and SLACK covers a few metadata blocks.
 */
import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, snn } from './util.js'

const KiB = 1024
const MiB = 1024 * KiB
const DATA = 512 * KiB
const SLACK = 128 * KiB

export const spaceChecks = (ctx: SuiteContext): void => {
  describe('space', () => {
    it("referenced counts written bytes; a fresh clone refers to its origin's and uses next to nothing; its used and written grow with its own writes", () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        const c = dsn(base, 'c')
        await ctx.ok(driver.create(a))
        const empty = await ctx.ok(driver.space(a))
        await ctx.ok((await ctx.ok(driver.fs(a))).writeFile('f', randomBytes(DATA)))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        const full = await ctx.ok(driver.space(a))
        expect(full.referenced - empty.referenced).toBeGreaterThanOrEqual(DATA)
        expect(full.referenced - empty.referenced).toBeLessThan(DATA + SLACK)
        await ctx.ok(driver.clone(snn(base, 'a@s'), c))
        const fresh = await ctx.ok(driver.space(c))
        expect(Math.abs(fresh.referenced - full.referenced)).toBeLessThan(SLACK)
        expect(fresh.used).toBeLessThan(SLACK)
        expect(fresh.written).toBeLessThan(SLACK)
        await ctx.ok((await ctx.ok(driver.fs(c))).writeFile('g', randomBytes(DATA)))
        const grown = await ctx.ok(driver.space(c))
        expect(grown.used).toBeGreaterThanOrEqual(DATA)
        expect(grown.written).toBeGreaterThanOrEqual(DATA)
        expect(grown.referenced - fresh.referenced).toBeGreaterThanOrEqual(DATA)
      }))

    it('available under a refquota is what is left of it, and shrinks by what is written', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.ok(driver.create(a, { native: { refquota: 4 * MiB } }))
        const before = await ctx.ok(driver.space(a))
        expect(before.available).toBeLessThanOrEqual(4 * MiB - before.referenced)
        await ctx.ok((await ctx.ok(driver.fs(a))).writeFile('f', randomBytes(DATA)))
        const after = await ctx.ok(driver.space(a))
        expect(before.available - after.available).toBeGreaterThanOrEqual(DATA)
        expect(before.available - after.available).toBeLessThan(DATA + SLACK)
      }))

    it('a write past a refquota fails with QuotaExceeded naming the dataset and the limit; what was written stays near the limit and unlink frees it', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.ok(driver.create(a, { native: { refquota: MiB } }))
        const tree = await ctx.ok(driver.fs(a))
        await ctx.fails(tree.writeFile('f', randomBytes(4 * MiB)), 'QuotaExceeded', {
          name: a,
          property: 'refquota',
          limit: MiB,
          path: 'f',
        })
        // real ZFS keeps the part written before EDQUOT (at most about the limit); the simulator writes nothing
        const over = await ctx.ok(driver.space(a))
        expect(over.referenced).toBeLessThan(2 * MiB)
        const left = await tree.unlink('f')()
        if (left._tag === 'Left') expect(left.left).toMatchObject({ _tag: 'Io', code: 'ENOENT' })
      }))

    it("a write past an ancestor's quota fails with QuotaExceeded naming the ancestor and its quota", () =>
      ctx.withFixture(async ({ driver, base }) => {
        const p = dsn(base, 'p')
        const c = dsn(base, 'p/c')
        await ctx.ok(driver.create(p, { native: { quota: MiB } }))
        await ctx.ok(driver.create(c))
        const tree = await ctx.ok(driver.fs(c))
        await ctx.fails(tree.writeFile('f', randomBytes(4 * MiB)), 'QuotaExceeded', {
          name: p,
          property: 'quota',
          limit: MiB,
        })
      }))

    it('spaceTree gives the root and each filesystem below it (no snapshot) what space gives', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        const b = dsn(base, 'a/b')
        await ctx.ok(driver.create(a))
        await ctx.ok(driver.create(b))
        await ctx.ok((await ctx.ok(driver.fs(b))).writeFile('f', randomBytes(DATA)))
        await ctx.ok(driver.snapshot(snn(base, 'a/b@s')))
        const tree = await ctx.ok(driver.spaceTree(a))
        expect([...tree.keys()].sort()).toEqual([a, b])
        for (const d of [a, b]) {
          const one = await ctx.ok(driver.space(d))
          for (const k of ['used', 'referenced', 'written'] as const)
            expect(Math.abs(tree.get(d)![k] - one[k]), `${d} ${k}`).toBeLessThan(SLACK)
        }
        expect(tree.get(b)!.referenced).toBeGreaterThanOrEqual(DATA)
      }))

    it('space and spaceTree of a missing filesystem: DatasetNotFound', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.space(dsn(base, 'x')), 'DatasetNotFound')
        await ctx.fails(driver.spaceTree(dsn(base, 'x')), 'DatasetNotFound')
      }))
  })
}
