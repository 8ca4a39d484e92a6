/** create: the rule sentences of driver.ts, one check each. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, existsIn, infoOf, prop } from './util.js'

export const createChecks = (ctx: SuiteContext): void => {
  describe('create', () => {
    it('creates a filesystem with no origin and no snapshots', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        expect(await existsIn(driver, dsn(base, 'a'))).toBe(true)
        expect(await infoOf(driver, base, dsn(base, 'a'))).toMatchObject({
          type: 'filesystem',
          origin: null,
          clones: [],
        })
      }))

    it('the dataset must not exist (DatasetExists)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.create(dsn(base, 'a')), 'DatasetExists', { name: dsn(base, 'a') })
      }))

    it('its parent must exist (ParentNotFound)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.create(dsn(base, 'x/a')), 'ParentNotFound', { name: dsn(base, 'x/a') })
        expect(await existsIn(driver, dsn(base, 'x'))).toBe(false)
      }))

    it('`parents` creates the missing ancestors', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'x/y/a'), { parents: true }))
        for (const n of ['x', 'x/y', 'x/y/a']) expect(await existsIn(driver, dsn(base, n))).toBe(true)
      }))

    it('`parents` succeeds silently when the dataset exists already', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.create(dsn(base, 'a'), { parents: true }))
      }))

    it('`properties` are set with the creation, as local values', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a'), { properties: { [prop('conformance:p')]: 'v' } }))
        expect(await ctx.ok(driver.getProperty(dsn(base, 'a'), prop('conformance:p')))).toEqual({
          value: 'v',
          source: { kind: 'local' },
        })
      }))

    it('a new dataset has an empty file tree', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        const t = await ctx.ok(driver.fs(dsn(base, 'a')))
        expect(t.readOnly).toBe(false)
        expect(await ctx.ok(t.readdir(''))).toEqual([])
        expect(await ctx.ok(t.lstat(''))).toMatchObject({ type: '/' })
      }))
  })
}
