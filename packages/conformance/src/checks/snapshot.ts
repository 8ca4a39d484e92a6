/** snapshot: the rule sentences of driver.ts, one check each. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, existsIn, namesOf, readText, snn, writeText } from './util.js'

export const snapshotChecks = (ctx: SuiteContext): void => {
  describe('snapshot', () => {
    it('the dataset must exist (DatasetNotFound)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.snapshot(snn(base, 'x@s')), 'DatasetNotFound')
      }))

    it('the snapshot must not exist (DatasetExists)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.fails(driver.snapshot(snn(base, 'a@s')), 'DatasetExists', { name: snn(base, 'a@s') })
      }))

    it('a snapshot keeps the files as they were, while the dataset goes on', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await writeText(driver, dsn(base, 'a'), 'f', 'one')
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await writeText(driver, dsn(base, 'a'), 'f', 'two', 'truncate')
        expect(await readText(driver, snn(base, 'a@s'), 'f')).toBe('one')
        expect(await readText(driver, dsn(base, 'a'), 'f')).toBe('two')
      }))

    it('`recursive` snapshots the dataset and every descendant under the same short name', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b/c'), { parents: true }))
        await ctx.ok(driver.snapshot(snn(base, 'a@s'), { recursive: true }))
        for (const n of ['a@s', 'a/b@s', 'a/b/c@s']) expect(await existsIn(driver, snn(base, n))).toBe(true)
      }))

    it('`recursive` is atomic: if any descendant has the snapshot, none is created (DatasetExists)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b/c'), { parents: true }))
        await ctx.ok(driver.snapshot(snn(base, 'a/b/c@s')))
        await ctx.fails(driver.snapshot(snn(base, 'a@s'), { recursive: true }), 'DatasetExists')
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a/b', '/a/b/c', '/a/b/c@s'])
      }))
  })
}
