/** promote: the rule sentences of driver.ts, one check each, and the seed's commit defect. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, existsIn, infoOf, namesOf, prop, readText, snn, writeText } from './util.js'

export const promoteChecks = (ctx: SuiteContext): void => {
  describe('promote', () => {
    it('the dataset must exist (DatasetNotFound)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.promote(dsn(base, 'x')), 'DatasetNotFound')
      }))

    it('the dataset must be a clone (NotAClone)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.promote(dsn(base, 'a')), 'NotAClone', { name: dsn(base, 'a') })
      }))

    it("the origin's snapshots up to and including the origin move to the clone, keeping their names", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        for (const s of ['s1', 's2', 's3']) await ctx.ok(driver.snapshot(snn(base, `a@${s}`)))
        await ctx.ok(driver.clone(snn(base, 'a@s2'), dsn(base, 'c')))
        await ctx.ok(driver.snapshot(snn(base, 'c@t')))
        await ctx.ok(driver.promote(dsn(base, 'c')))
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a@s3', '/c', '/c@s1', '/c@s2', '/c@t'])
      }))

    it('the old origin dataset becomes a clone of the moved snapshot', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await writeText(driver, dsn(base, 'a'), 'f', 'one')
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        await ctx.ok(driver.promote(dsn(base, 'c')))
        expect(await infoOf(driver, base, dsn(base, 'a'))).toMatchObject({ origin: snn(base, 'c@s') })
        expect(await infoOf(driver, base, dsn(base, 'c'))).toMatchObject({ origin: null })
        expect((await infoOf(driver, base, snn(base, 'c@s')))?.clones).toEqual([dsn(base, 'a')])
        expect(await readText(driver, snn(base, 'c@s'), 'f')).toBe('one')
      }))

    it('other clones of the moved snapshots keep them as origin under their new names', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s1')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s2')))
        await ctx.ok(driver.clone(snn(base, 'a@s1'), dsn(base, 'd')))
        await ctx.ok(driver.clone(snn(base, 'a@s2'), dsn(base, 'c')))
        await ctx.ok(driver.promote(dsn(base, 'c')))
        expect(await infoOf(driver, base, dsn(base, 'd'))).toMatchObject({ origin: snn(base, 'c@s1') })
        expect((await infoOf(driver, base, snn(base, 'c@s1')))?.clones).toEqual([dsn(base, 'd')])
      }))

    it("the promoted clone takes over its old origin's own origin", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'b')))
        await ctx.ok(driver.snapshot(snn(base, 'b@t')))
        await ctx.ok(driver.clone(snn(base, 'b@t'), dsn(base, 'c')))
        await ctx.ok(driver.promote(dsn(base, 'c')))
        expect(await infoOf(driver, base, dsn(base, 'c'))).toMatchObject({ origin: snn(base, 'a@s') })
        expect(await infoOf(driver, base, dsn(base, 'b'))).toMatchObject({ origin: snn(base, 'c@t') })
      }))

    it('a moving snapshot name the clone already has: SnapshotNameConflict, and nothing moves', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@x')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        await ctx.ok(driver.snapshot(snn(base, 'c@x')))
        const before = await namesOf(driver, base)
        await ctx.fails(driver.promote(dsn(base, 'c')), 'SnapshotNameConflict', {
          name: dsn(base, 'c'),
          snapshot: 'x',
          origin: snn(base, 'a@s'),
        })
        expect(await namesOf(driver, base)).toEqual(before)
        expect(await infoOf(driver, base, dsn(base, 'c'))).toMatchObject({ origin: snn(base, 'a@s') })
      }))

    it('user properties stay with their dataset through promote', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a'), { properties: { [prop('conformance:p')]: 'a' } }))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c'), { properties: { [prop('conformance:p')]: 'c' } }))
        await ctx.ok(driver.promote(dsn(base, 'c')))
        expect((await infoOf(driver, base, dsn(base, 'a')))?.properties['conformance:p']).toBe('a')
        expect((await infoOf(driver, base, dsn(base, 'c')))?.properties['conformance:p']).toBe('c')
      }))

    it("the seed's commit defect: after snapshot, clone and promote, snapshotting the same name again fails (DatasetExists)", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'rt')))
        await ctx.ok(driver.create(dsn(base, 'S')))
        await ctx.ok(driver.snapshot(snn(base, 'rt@extracted')))
        await ctx.ok(driver.clone(snn(base, 'rt@extracted'), dsn(base, 'S/h')))
        await ctx.ok(driver.promote(dsn(base, 'S/h')))
        expect(await existsIn(driver, snn(base, 'S/h@extracted'))).toBe(true)
        expect(await existsIn(driver, snn(base, 'rt@extracted'))).toBe(false)
        await ctx.fails(driver.snapshot(snn(base, 'S/h@extracted')), 'DatasetExists', {
          name: snn(base, 'S/h@extracted'),
        })
      }))
  })
}
