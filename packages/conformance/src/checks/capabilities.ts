/** The capability manifest: plain booleans, and it never changes. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, snn } from './util.js'

export const capabilityChecks = (ctx: SuiteContext): void => {
  describe('capabilities', () => {
    it('are booleans and do not change across calls', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const before = JSON.stringify(driver.capabilities)
        for (const k of ['xattrs', 'deviceNodes', 'chown', 'hostPaths'] as const)
          expect(typeof driver.capabilities[k]).toBe('boolean')
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.fs(dsn(base, 'a')))
        await ctx.ok(driver.list(base))
        expect(JSON.stringify(driver.capabilities)).toBe(before)
        const other = await ctx.factory()
        try {
          expect(JSON.stringify(other.driver.capabilities)).toBe(before)
        } finally {
          await other.cleanup()
        }
      }))
  })
}
