/** clone: the rule sentences of driver.ts, one check each. */
import { datasetName } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, fsOf, infoOf, readText, snn, writeText } from './util.js'

export const cloneChecks = (ctx: SuiteContext): void => {
  describe('clone', () => {
    it('the origin snapshot must exist (DatasetNotFound)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.clone(snn(base, 'a@nope'), dsn(base, 'c')), 'DatasetNotFound')
      }))

    it('the target must not exist (DatasetExists)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.create(dsn(base, 'c')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.fails(driver.clone(snn(base, 'a@s'), dsn(base, 'c')), 'DatasetExists', { name: dsn(base, 'c') })
      }))

    it("the target's parent must exist (ParentNotFound)", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.fails(driver.clone(snn(base, 'a@s'), dsn(base, 'x/c')), 'ParentNotFound', { name: dsn(base, 'x/c') })
      }))

    it('pools must match (InvalidName)', (t) =>
      ctx.withFixture(async ({ driver, base, otherPool }) => {
        if (otherPool === undefined) return t.skip('the fixture offers no otherPool')
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.fails(driver.clone(snn(base, 'a@s'), datasetName(`${otherPool}/c`)), 'InvalidName', {
          reason: 'source and target pools differ',
        })
      }))

    it("the clone starts with the snapshot's files and origin = the snapshot", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await writeText(driver, dsn(base, 'a'), 'f', 'one')
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await writeText(driver, dsn(base, 'a'), 'f', 'two', 'truncate')
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        expect(await readText(driver, dsn(base, 'c'), 'f')).toBe('one')
        expect(await infoOf(driver, base, dsn(base, 'c'))).toMatchObject({
          type: 'filesystem',
          origin: snn(base, 'a@s'),
        })
        expect((await infoOf(driver, base, snn(base, 'a@s')))?.clones).toEqual([dsn(base, 'c')])
      }))

    it("a clone keeps its origin's object numbers", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await writeText(driver, dsn(base, 'a'), 'f', 'one')
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        const ino = async (n: Parameters<typeof fsOf>[1]): Promise<number> =>
          (await ctx.ok((await fsOf(driver, n)).lstat('f'))).ino
        expect(await ino(dsn(base, 'c'))).toBe(await ino(snn(base, 'a@s')))
      }))

    it('writes to a clone do not reach its origin', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await writeText(driver, dsn(base, 'a'), 'f', 'one')
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        await writeText(driver, dsn(base, 'c'), 'f', 'two', 'truncate')
        expect(await readText(driver, snn(base, 'a@s'), 'f')).toBe('one')
        expect(await readText(driver, dsn(base, 'a'), 'f')).toBe('one')
      }))
  })
}
