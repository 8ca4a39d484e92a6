/** user properties: the rule sentences of driver.ts, one check each. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, infoOf, prop, snn } from './util.js'

const P = prop('conformance:p')

export const propertyChecks = (ctx: SuiteContext): void => {
  describe('user properties', () => {
    it('set on a dataset: a local value', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.setProperty(dsn(base, 'a'), P, 'v'))
        expect(await ctx.ok(driver.getProperty(dsn(base, 'a'), P))).toEqual({ value: 'v', source: { kind: 'local' } })
        expect((await infoOf(driver, base, dsn(base, 'a')))?.properties).toMatchObject({ 'conformance:p': 'v' })
      }))

    it('set on a snapshot: a local value of the snapshot only', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.setProperty(snn(base, 'a@s'), P, 'v'))
        expect(await ctx.ok(driver.getProperty(snn(base, 'a@s'), P))).toEqual({ value: 'v', source: { kind: 'local' } })
        expect(await ctx.ok(driver.getProperty(dsn(base, 'a'), P))).toBeUndefined()
      }))

    it('an unset property reads as undefined', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        expect(await ctx.ok(driver.getProperty(dsn(base, 'a'), P))).toBeUndefined()
      }))

    it('inherited by namespace children', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b/c'), { parents: true }))
        await ctx.ok(driver.setProperty(dsn(base, 'a'), P, 'v'))
        expect(await ctx.ok(driver.getProperty(dsn(base, 'a/b/c'), P))).toEqual({
          value: 'v',
          source: { kind: 'inherited', from: dsn(base, 'a') },
        })
      }))

    it('inherited by snapshots from their dataset', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.setProperty(dsn(base, 'a'), P, 'v'))
        expect(await ctx.ok(driver.getProperty(snn(base, 'a@s'), P))).toEqual({
          value: 'v',
          source: { kind: 'inherited', from: dsn(base, 'a') },
        })
      }))

    it('never inherited by clones from their origin', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a'), { properties: { [P]: 'v' } }))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        expect(await ctx.ok(driver.getProperty(dsn(base, 'c'), P))).toBeUndefined()
      }))

    it('inherit removes the local value; an inherited one shows through again', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b'), { parents: true }))
        await ctx.ok(driver.setProperty(dsn(base, 'a'), P, 'up'))
        await ctx.ok(driver.setProperty(dsn(base, 'a/b'), P, 'here'))
        await ctx.ok(driver.inheritProperty(dsn(base, 'a/b'), P))
        expect(await ctx.ok(driver.getProperty(dsn(base, 'a/b'), P))).toEqual({
          value: 'up',
          source: { kind: 'inherited', from: dsn(base, 'a') },
        })
      }))

    it('a value of 8192 bytes or more is LimitExceeded; 8191 bytes is fine', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.setProperty(dsn(base, 'a'), P, 'x'.repeat(8192)), 'LimitExceeded')
        await ctx.ok(driver.setProperty(dsn(base, 'a'), P, 'x'.repeat(8191)))
        expect((await ctx.ok(driver.getProperty(dsn(base, 'a'), P)))?.value).toHaveLength(8191)
      }))

    it('get and set on a missing dataset: DatasetNotFound', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.getProperty(dsn(base, 'x'), P), 'DatasetNotFound')
        await ctx.fails(driver.setProperty(dsn(base, 'x'), P, 'v'), 'DatasetNotFound')
        await ctx.fails(driver.inheritProperty(dsn(base, 'x'), P), 'DatasetNotFound')
      }))
  })
}
