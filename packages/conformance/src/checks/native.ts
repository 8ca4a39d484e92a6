/** native properties: the rule sentences of driver.ts on getNative/setNative and the create and clone options. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, snn, utf8 } from './util.js'

const MiB = 1 << 20

export const nativeChecks = (ctx: SuiteContext): void => {
  describe('native properties', () => {
    it("a fresh filesystem: canmount=on, mounted, not readonly, no quotas, the parent's mountpoint plus its name", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        const up = await ctx.ok(driver.getNative(base))
        expect(await ctx.ok(driver.getNative(dsn(base, 'a')))).toEqual({
          mountpoint: `${up.mountpoint === '/' ? '' : up.mountpoint}/a`,
          canmount: 'on',
          mounted: true,
          readonly: false,
          quota: null,
          refquota: null,
        })
      }))

    it('setNative sets several at once and reads them back; null quotas are none again', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.ok(driver.create(a))
        await ctx.ok(driver.setNative(a, { quota: 64 * MiB, refquota: 32 * MiB, readonly: true, canmount: 'noauto' }))
        expect(await ctx.ok(driver.getNative(a))).toMatchObject({
          quota: 64 * MiB,
          refquota: 32 * MiB,
          readonly: true,
          canmount: 'noauto',
        })
        await ctx.ok(driver.setNative(a, { quota: null, refquota: null }))
        expect(await ctx.ok(driver.getNative(a))).toMatchObject({ quota: null, refquota: null, readonly: true })
      }))

    it('create and clone take native properties: canmount=noauto is not mounted, a clone gets its own refquota', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.ok(driver.create(a, { native: { canmount: 'noauto', refquota: 16 * MiB } }))
        expect(await ctx.ok(driver.getNative(a))).toMatchObject({
          canmount: 'noauto',
          mounted: false,
          refquota: 16 * MiB,
        })
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c'), { native: { refquota: 8 * MiB } }))
        // canmount is never inherited, so the clone is on and mounted
        expect(await ctx.ok(driver.getNative(dsn(base, 'c')))).toMatchObject({
          canmount: 'on',
          mounted: true,
          refquota: 8 * MiB,
        })
      }))

    it('a bad native value (a fractional quota, a relative mountpoint) is InvalidName and sets nothing', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.fails(driver.create(a, { native: { quota: 1.5 } }), 'InvalidName', { name: a })
        expect(await ctx.ok(driver.exists(a))).toBe(false)
        await ctx.ok(driver.create(a))
        await ctx.fails(driver.setNative(a, { mountpoint: 'rel/dir', quota: MiB }), 'InvalidName', { name: a })
        expect((await ctx.ok(driver.getNative(a))).quota).toBeNull()
      }))

    it('readonly=on: writes fail with EROFS; readonly=off: they work again', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const a = dsn(base, 'a')
        await ctx.ok(driver.create(a))
        await ctx.ok(driver.setNative(a, { readonly: true }))
        const t = await ctx.ok(driver.fs(a))
        await ctx.fails(t.writeFile('f', utf8('x')), 'Io', { code: 'EROFS' })
        await ctx.ok(driver.setNative(a, { readonly: false }))
        await ctx.ok(t.writeFile('f', utf8('x')))
      }))

    it('getNative and setNative of a missing filesystem: DatasetNotFound', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.getNative(dsn(base, 'x')), 'DatasetNotFound')
        await ctx.fails(driver.setNative(dsn(base, 'x'), { readonly: true }), 'DatasetNotFound')
      }))
  })
}
