/** list and exists: the rule sentences of driver.ts, one check each. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, existsIn, infoOf, namesOf, snn } from './util.js'

export const listChecks = (ctx: SuiteContext): void => {
  describe('list', () => {
    it('the root, its descendants and their snapshots in zfs order: byte order of the dataset name, a filesystem before its snapshots, snapshots by creation', () =>
      ctx.withFixture(async ({ driver, base }) => {
        for (const n of ['a', 'a/b', 'a-b', 'ab']) await ctx.ok(driver.create(dsn(base, n)))
        await ctx.ok(driver.snapshot(snn(base, 'a@z')))
        await ctx.ok(driver.snapshot(snn(base, 'a@m')))
        await ctx.ok(driver.snapshot(snn(base, 'a/b@a')))
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a@z', '/a@m', '/a-b', '/a/b', '/a/b@a', '/ab'])
      }))

    it('a missing root: DatasetNotFound', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.list(dsn(base, 'x')), 'DatasetNotFound')
      }))

    it('a snapshot lists its clones sorted; a filesystem lists none', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'z')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'b')))
        expect(await infoOf(driver, base, snn(base, 'a@s'))).toMatchObject({
          type: 'snapshot',
          origin: null,
          clones: [dsn(base, 'b'), dsn(base, 'z')],
        })
        expect(await infoOf(driver, base, dsn(base, 'a'))).toMatchObject({ type: 'filesystem', clones: [] })
      }))

    it('listing a subtree lists only that subtree', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b'), { parents: true }))
        await ctx.ok(driver.create(dsn(base, 'ab')))
        expect((await ctx.ok(driver.list(dsn(base, 'a')))).map((i) => i.name)).toEqual([
          dsn(base, 'a'),
          dsn(base, 'a/b'),
        ])
      }))

    it('exists tells datasets and snapshots that exist from those that do not', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        expect(await existsIn(driver, dsn(base, 'a'))).toBe(true)
        expect(await existsIn(driver, snn(base, 'a@s'))).toBe(true)
        expect(await existsIn(driver, dsn(base, 'b'))).toBe(false)
        expect(await existsIn(driver, snn(base, 'a@t'))).toBe(false)
        expect(await existsIn(driver, snn(base, 'b@s'))).toBe(false)
      }))
  })
}
