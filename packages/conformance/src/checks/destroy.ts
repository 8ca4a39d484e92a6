/** destroy: the rule sentences of driver.ts, one check each. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, existsIn, namesOf, readText, snn, sortedUnique, writeText } from './util.js'

export const destroyChecks = (ctx: SuiteContext): void => {
  describe('destroy', () => {
    it('a missing dataset: DatasetNotFound', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.destroy(dsn(base, 'x')), 'DatasetNotFound')
      }))

    it('a missing snapshot: DatasetNotFound', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.fails(driver.destroy(snn(base, 'a@x')), 'DatasetNotFound')
      }))

    it('a filesystem with children needs `recursive` (HasChildren, listing every descendant and snapshot)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b/c'), { parents: true }))
        await ctx.ok(driver.snapshot(snn(base, 'a@s'), { recursive: true }))
        const e = await ctx.fails(driver.destroy(dsn(base, 'a')), 'HasChildren', { name: dsn(base, 'a') })
        expect(sortedUnique(e.dependents)).toEqual(
          sortedUnique(['a/b/c@s', 'a/b/c', 'a/b@s', 'a/b', 'a@s'].map((n) => `${base}/${n}`)),
        )
      }))

    it('a filesystem with snapshots only needs `recursive` (HasChildren)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        const e = await ctx.fails(driver.destroy(dsn(base, 'a')), 'HasChildren')
        expect(e.dependents).toEqual([snn(base, 'a@s')])
      }))

    it('`recursive` destroys the descendants and snapshots', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b'), { parents: true }))
        await ctx.ok(driver.create(dsn(base, 'ab')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s'), { recursive: true }))
        await ctx.ok(driver.destroy(dsn(base, 'a'), { recursive: true }))
        expect(await namesOf(driver, base)).toEqual(['.', '/ab'])
      }))

    it('a snapshot with clones needs `dependents` (HasDependentClones, listing them)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c1')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c2')))
        const e = await ctx.fails(driver.destroy(snn(base, 'a@s')), 'HasDependentClones', { name: snn(base, 'a@s') })
        expect(sortedUnique(e.clones)).toEqual([dsn(base, 'c1'), dsn(base, 'c2')])
        expect(await existsIn(driver, snn(base, 'a@s'))).toBe(true)
      }))

    it('`recursive` on a tree one of whose snapshots has clones outside it needs `dependents` (HasDependentClones)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b'), { parents: true }))
        await ctx.ok(driver.snapshot(snn(base, 'a/b@s')))
        await ctx.ok(driver.clone(snn(base, 'a/b@s'), dsn(base, 'c')))
        const e = await ctx.fails(driver.destroy(dsn(base, 'a'), { recursive: true }), 'HasDependentClones', {
          name: dsn(base, 'a'),
        })
        expect(sortedUnique(e.clones)).toEqual([dsn(base, 'c')])
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a/b', '/a/b@s', '/c'])
      }))

    it('dependents are listed as zfs prints them: the clones with their own snapshots and descendants', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        await ctx.ok(driver.create(dsn(base, 'c/d')))
        await ctx.ok(driver.snapshot(snn(base, 'c@t')))
        const e = await ctx.fails(driver.destroy(snn(base, 'a@s')), 'HasDependentClones')
        expect(sortedUnique(e.clones)).toEqual(sortedUnique([dsn(base, 'c'), dsn(base, 'c/d'), snn(base, 'c@t')]))
      }))

    it('a clone inside the tree being destroyed is no dependent: `recursive` alone suffices', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'a/c')))
        await ctx.ok(driver.destroy(dsn(base, 'a'), { recursive: true }))
        expect(await namesOf(driver, base)).toEqual(['.'])
      }))

    it('`dependents` also destroys the clones and their descendants wherever they are', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.create(dsn(base, 'x')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'x/c')))
        await ctx.ok(driver.create(dsn(base, 'x/c/d')))
        await ctx.ok(driver.snapshot(snn(base, 'x/c@t')))
        await ctx.ok(driver.clone(snn(base, 'x/c@t'), dsn(base, 'e')))
        await ctx.ok(driver.destroy(snn(base, 'a@s'), { dependents: true }))
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/x'])
      }))

    it('`recursive` with a snapshot name destroys that snapshot in every descendant', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b'), { parents: true }))
        await ctx.ok(driver.snapshot(snn(base, 'a@s'), { recursive: true }))
        await ctx.ok(driver.snapshot(snn(base, 'a@t'), { recursive: true }))
        await ctx.ok(driver.destroy(snn(base, 'a@s'), { recursive: true }))
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a@t', '/a/b', '/a/b@t'])
      }))

    it('`dependents` implies `recursive`, as `zfs destroy -R` does: the snapshot goes in every descendant too', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/b'), { parents: true }))
        await ctx.ok(driver.snapshot(snn(base, 'a@s'), { recursive: true }))
        await ctx.ok(driver.destroy(snn(base, 'a@s'), { dependents: true }))
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a/b'])
      }))

    it('a walk of dependents that meets a dataset again (promoted into a clone of its own descendant) is RecursiveDependency, nothing destroyed', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a/w'), { parents: true }))
        await ctx.ok(driver.snapshot(snn(base, 'a@s1'), { recursive: true }))
        await ctx.ok(driver.clone(snn(base, 'a/w@s1'), dsn(base, 'a/w/m')))
        await ctx.ok(driver.promote(dsn(base, 'a/w/m')))
        const before = await namesOf(driver, base)
        await ctx.fails(
          driver.destroy(snn(base, 'a@s1'), { recursive: true, dependents: true }),
          'RecursiveDependency',
          { name: snn(base, 'a@s1'), at: dsn(base, 'a/w') },
        )
        await ctx.fails(driver.destroy(dsn(base, 'a/w'), { recursive: true }), 'RecursiveDependency', {
          name: dsn(base, 'a/w'),
          at: dsn(base, 'a/w'),
        })
        expect(await namesOf(driver, base)).toEqual(before)
        // promoting the dataset back breaks the loop
        await ctx.ok(driver.promote(dsn(base, 'a/w')))
        await ctx.ok(driver.destroy(snn(base, 'a@s1'), { dependents: true }))
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a/w'])
      }))

    it("a clone's destruction never touches its origin", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await writeText(driver, dsn(base, 'a'), 'f', 'one')
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        await ctx.ok(driver.destroy(dsn(base, 'c')))
        expect(await namesOf(driver, base)).toEqual(['.', '/a', '/a@s'])
        expect(await readText(driver, snn(base, 'a@s'), 'f')).toBe('one')
        await ctx.ok(driver.destroy(snn(base, 'a@s')))
      }))
  })
}
