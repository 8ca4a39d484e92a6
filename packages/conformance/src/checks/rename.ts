/** rename (datasets and snapshots): the rule sentences of driver.ts, one check each. */
import { datasetName } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, existsIn, infoOf, namesOf, prop, readText, snn, writeText } from './util.js'

export const renameChecks = (ctx: SuiteContext): void => {
  describe('rename (datasets)', () => {
    it('the source must exist (DatasetNotFound)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.rename(dsn(base, 'x'), dsn(base, 'y')), 'DatasetNotFound')
      }))

    it('the target must not exist (DatasetExists)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.create(dsn(base, 'b')))
        await ctx.fails(driver.rename(dsn(base, 'a'), dsn(base, 'b')), 'DatasetExists')
      }))

    it("the target's parent must exist (ParentNotFound)", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.rename(dsn(base, 'a'), dsn(base, 'x/a')), 'ParentNotFound', { name: dsn(base, 'x/a') })
      }))

    it("`parents` creates the target's missing ancestors", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.rename(dsn(base, 'a'), dsn(base, 'x/y/a'), { parents: true }))
        expect(await namesOf(driver, base)).toEqual(['.', '/x', '/x/y', '/x/y/a'])
      }))

    it("not into the source's own subtree (InvalidName)", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.rename(dsn(base, 'a'), dsn(base, 'a/b')), 'InvalidName', {
          reason: 'New dataset name cannot be a descendant of current dataset name',
        })
      }))

    it('not into another pool (InvalidName)', (t) =>
      ctx.withFixture(async ({ driver, base, otherPool }) => {
        if (otherPool === undefined) return t.skip('the fixture offers no otherPool')
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.rename(dsn(base, 'a'), datasetName(`${otherPool}/a`)), 'InvalidName', {
          reason: 'datasets must be within same pool',
        })
      }))

    it('children and snapshots follow, with their files', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b'), { parents: true }))
        await writeText(driver, dsn(base, 'a/b'), 'f', 'one')
        await ctx.ok(driver.snapshot(snn(base, 'a@s'), { recursive: true }))
        await ctx.ok(driver.rename(dsn(base, 'a'), dsn(base, 'z')))
        expect(await namesOf(driver, base)).toEqual(['.', '/z', '/z@s', '/z/b', '/z/b@s'])
        expect(await readText(driver, snn(base, 'z/b@s'), 'f')).toBe('one')
      }))

    it('origins of clones follow', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        await ctx.ok(driver.rename(dsn(base, 'a'), dsn(base, 'z')))
        expect(await infoOf(driver, base, dsn(base, 'c'))).toMatchObject({ origin: snn(base, 'z@s') })
      }))

    it('renaming to the same name succeeds and does nothing', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.rename(dsn(base, 'a'), dsn(base, 'a')))
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a@s'])
      }))

    it('user properties stay with the dataset; inherited ones come from the new parent', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'p'), { properties: { [prop('conformance:i')]: 'p' } }))
        await ctx.ok(driver.create(dsn(base, 'q'), { properties: { [prop('conformance:i')]: 'q' } }))
        await ctx.ok(driver.create(dsn(base, 'p/a'), { properties: { [prop('conformance:l')]: 'a' } }))
        await ctx.ok(driver.rename(dsn(base, 'p/a'), dsn(base, 'q/a')))
        expect((await infoOf(driver, base, dsn(base, 'q/a')))?.properties).toMatchObject({
          'conformance:l': 'a',
          'conformance:i': 'q',
        })
      }))
  })

  describe('rename (snapshots)', () => {
    it('within one dataset only (InvalidName)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.create(dsn(base, 'b')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.fails(driver.renameSnapshot(snn(base, 'a@s'), snn(base, 'b@s')), 'InvalidName', {
          reason: 'snapshots must be part of same dataset',
        })
      }))

    it('the source must exist (DatasetNotFound)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.renameSnapshot(snn(base, 'a@s'), snn(base, 'a@t')), 'DatasetNotFound')
      }))

    it('the target must not exist (DatasetExists)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.snapshot(snn(base, 'a@t')))
        await ctx.fails(driver.renameSnapshot(snn(base, 'a@s'), snn(base, 'a@t')), 'DatasetExists')
      }))

    it('a renamed snapshot keeps its files, place in creation order and clones', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await writeText(driver, dsn(base, 'a'), 'f', 'one')
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.snapshot(snn(base, 'a@t')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        await ctx.ok(driver.renameSnapshot(snn(base, 'a@s'), snn(base, 'a@z')))
        expect(await existsIn(driver, snn(base, 'a@s'))).toBe(false)
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a@z', '/a@t', '/c'])
        expect(await readText(driver, snn(base, 'a@z'), 'f')).toBe('one')
        expect(await infoOf(driver, base, dsn(base, 'c'))).toMatchObject({ origin: snn(base, 'a@z') })
      }))
  })
}
