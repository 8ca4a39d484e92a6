/** mount, unmount and host paths: the rule sentences of driver.ts, one check each. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn } from './util.js'

export const mountChecks = (ctx: SuiteContext): void => {
  describe('mounts', () => {
    it('mount and unmount are idempotent; fs of an unmounted filesystem is Io naming it', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.ok(driver.create(a, { native: { canmount: 'noauto' } }))
        await ctx.fails(driver.fs(a), 'Io', { code: 'EIO', path: a })
        await ctx.ok(driver.mount(a))
        await ctx.ok(driver.mount(a))
        expect((await ctx.ok(driver.getNative(a))).mounted).toBe(true)
        await ctx.ok(driver.fs(a))
        await ctx.ok(driver.unmount(a))
        await ctx.ok(driver.unmount(a))
        expect((await ctx.ok(driver.getNative(a))).mounted).toBe(false)
      }))

    it("mount with canmount=off or mountpoint=none is Unsupported; a missing filesystem's: DatasetNotFound", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'off'), { native: { canmount: 'off' } }))
        await ctx.fails(driver.mount(dsn(base, 'off')), 'Unsupported')
        await ctx.ok(driver.create(dsn(base, 'none'), { native: { mountpoint: 'none' } }))
        expect((await ctx.ok(driver.getNative(dsn(base, 'none')))).mounted).toBe(false)
        await ctx.fails(driver.mount(dsn(base, 'none')), 'Unsupported')
        await ctx.fails(driver.mount(dsn(base, 'x')), 'DatasetNotFound', { name: dsn(base, 'x') })
        await ctx.fails(driver.unmount(dsn(base, 'x')), 'DatasetNotFound', { name: dsn(base, 'x') })
      }))

    it('a mountpoint set to a path is read back local and mounted there; mountpoint=none unmounts', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.ok(driver.create(a))
        const up = (await ctx.ok(driver.getNative(base))).mountpoint
        const there = `${up === '/' ? '' : up}/elsewhere`
        await ctx.ok(driver.setNative(a, { mountpoint: there }))
        expect(await ctx.ok(driver.getNative(a))).toMatchObject({ mountpoint: there, mounted: true })
        await ctx.ok(driver.setNative(a, { mountpoint: 'none' }))
        expect(await ctx.ok(driver.getNative(a))).toMatchObject({ mountpoint: 'none', mounted: false })
      }))

    it('hostPath: the mountpoint of a mounted filesystem, Io when unmounted (Unsupported without host paths)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.ok(driver.create(a))
        if (!driver.capabilities.hostPaths) {
          await ctx.fails(driver.hostPath(a), 'Unsupported')
          return
        }
        expect(await ctx.ok(driver.hostPath(a))).toBe((await ctx.ok(driver.getNative(a))).mountpoint)
        await ctx.ok(driver.unmount(a))
        await ctx.fails(driver.hostPath(a), 'Io', { path: a })
      }))
  })
}
