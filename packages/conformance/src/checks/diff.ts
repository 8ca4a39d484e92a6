/** diff: the rule sentences of driver.ts and the record semantics of zfs diff, one check each. */
import { type DatasetName, type Driver, type DiffRecord, type FileTree, sortDiff } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { unwrap as must } from '@stratum/core/testing'
import { dsn, readAll, snn, utf8 } from './util.js'

type Setup = (t: FileTree) => Promise<void>
const none: Setup = async () => {}

/** One named check: a@s1 after `before`, then `change`, then a@s2: diff(a@s1, a@s2) is `want` (sorted). */
interface DiffCase {
  readonly name: string
  readonly before: Setup
  readonly change: Setup
  readonly want: readonly DiffRecord[]
}

const CASES: readonly DiffCase[] = [
  {
    name: "an added file is '+', its directory 'M'; the root prints as '/'",
    before: none,
    change: async (t) => {
      await must(t.writeFile('f', utf8('x')))
    },
    want: [
      { change: 'M', type: '/', path: '/' },
      { change: '+', type: 'F', path: '/f' },
    ],
  },
  {
    name: "a removed file is '-'",
    before: async (t) => {
      await must(t.mkdir('d'))
      await must(t.writeFile('d/f', utf8('x')))
    },
    change: async (t) => {
      await must(t.unlink('d/f'))
    },
    want: [
      { change: 'M', type: '/', path: '/d' },
      { change: '-', type: 'F', path: '/d/f' },
    ],
  },
  {
    name: "a modified file is 'M', even when the same bytes are written again",
    before: async (t) => {
      await must(t.writeFile('f', utf8('x')))
    },
    change: async (t) => {
      await must(t.writeFile('f', utf8('x'), { flag: 'truncate' }))
    },
    want: [{ change: 'M', type: 'F', path: '/f' }],
  },
  {
    name: "metadata changes are 'M'",
    before: async (t) => {
      await must(t.writeFile('f', utf8('x')))
    },
    change: async (t) => {
      await must(t.chmod('f', 0o600))
    },
    want: [{ change: 'M', type: 'F', path: '/f' }],
  },
  {
    name: 'reads never modify',
    before: async (t) => {
      await must(t.writeFile('f', utf8('x')))
    },
    change: async (t) => {
      await readAll(await must(t.read('f')))
      await must(t.readdir(''))
      await must(t.lstat('f'))
    },
    want: [],
  },
  {
    name: "identity is the object: a file removed and re-created at the same path is '-' then '+'",
    before: async (t) => {
      await must(t.writeFile('f', utf8('x')))
    },
    change: async (t) => {
      await must(t.unlink('f'))
      await must(t.writeFile('f', utf8('x')))
    },
    want: [
      { change: 'M', type: '/', path: '/' },
      { change: '-', type: 'F', path: '/f' },
      { change: '+', type: 'F', path: '/f' },
    ],
  },
  {
    name: "a moved file is 'R' with its new path; both directories are 'M'",
    before: async (t) => {
      await must(t.mkdir('d'))
      await must(t.writeFile('f', utf8('x')))
    },
    change: async (t) => {
      await must(t.rename('f', 'd/g'))
    },
    want: [
      { change: 'M', type: '/', path: '/' },
      { change: 'M', type: '/', path: '/d' },
      { change: 'R', type: 'F', path: '/f', newPath: '/d/g' },
    ],
  },
  {
    name: "a new hard link is a link-count change 'M (+1)' at the old name",
    before: async (t) => {
      await must(t.writeFile('f', utf8('x')))
    },
    change: async (t) => {
      await must(t.link('f', 'g'))
    },
    want: [
      { change: 'M', type: '/', path: '/' },
      { change: 'M', type: 'F', path: '/f', linkDelta: 1 },
    ],
  },
  {
    name: 'an object is named through its parent pointer, which every new link moves: after link into d, zfs names it d/g',
    before: async (t) => {
      await must(t.mkdir('d'))
      await must(t.writeFile('f', utf8('x')))
      await must(t.link('f', 'd/g'))
    },
    change: async (t) => {
      await must(t.chmod('f', 0o600))
    },
    want: [{ change: 'M', type: 'F', path: '/d/g' }],
  },
  {
    name: "when the parent pointer's directory no longer names the object, zfs reports it from the other side: 'M (-1)' at its old name",
    before: async (t) => {
      await must(t.mkdir('d'))
      await must(t.writeFile('f', utf8('x')))
      await must(t.link('f', 'd/a'))
    },
    change: async (t) => {
      await must(t.unlink('d/a'))
    },
    want: [
      { change: 'M', type: '/', path: '/d' },
      { change: 'M', type: 'F', path: '/d/a', linkDelta: -1 },
    ],
  },
  {
    name: 'a removed subtree reports every removed object',
    before: async (t) => {
      await must(t.mkdir('d'))
      await must(t.mkdir('d/e'))
      await must(t.writeFile('d/e/f', utf8('x')))
      await must(t.symlink('f', 'd/l'))
    },
    change: async (t) => {
      await must(t.unlink('d/e/f'))
      await must(t.rmdir('d/e'))
      await must(t.unlink('d/l'))
      await must(t.rmdir('d'))
    },
    want: [
      { change: 'M', type: '/', path: '/' },
      { change: '-', type: '/', path: '/d' },
      { change: '-', type: '/', path: '/d/e' },
      { change: '-', type: 'F', path: '/d/e/f' },
      { change: '-', type: '@', path: '/d/l' },
    ],
  },
]

export const diffChecks = (ctx: SuiteContext): void => {
  /** a@s1 after `before`, then `change` on a, then a@s2; returns diff(a@s1, a@s2), sorted */
  const diffAfter = (driver: Driver, base: DatasetName, before: Setup, change: Setup): Promise<DiffRecord[]> =>
    (async () => {
      await ctx.ok(driver.create(dsn(base, 'a')))
      const t = await ctx.ok(driver.fs(dsn(base, 'a')))
      await before(t)
      await ctx.ok(driver.snapshot(snn(base, 'a@s1')))
      await change(t)
      await ctx.ok(driver.snapshot(snn(base, 'a@s2')))
      return sortDiff(await ctx.ok(driver.diff(snn(base, 'a@s1'), snn(base, 'a@s2'))))
    })()
  const rec = (rs: DiffRecord[]): DiffRecord[] => sortDiff(rs)

  describe('diff', () => {
    for (const c of CASES)
      it(c.name, () =>
        ctx.withFixture(async ({ driver, base }) =>
          expect(await diffAfter(driver, base, c.before, c.change)).toEqual(rec([...c.want])),
        ),
      )

    it('`to` may be the dataset itself', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        const t = await ctx.ok(driver.fs(dsn(base, 'a')))
        await ctx.ok(t.mkdir('d'))
        expect(sortDiff(await ctx.ok(driver.diff(snn(base, 'a@s'), dsn(base, 'a'))))).toEqual(
          rec([
            { change: 'M', type: '/', path: '/' },
            { change: '+', type: '/', path: '/d' },
          ]),
        )
      }))

    it('`from` may be in the origin chain of `to` (the layer case)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.clone(snn(base, 'a@s'), dsn(base, 'c')))
        const t = await ctx.ok(driver.fs(dsn(base, 'c')))
        await ctx.ok(t.writeFile('f', utf8('x')))
        await ctx.ok(driver.snapshot(snn(base, 'c@t')))
        const want = rec([
          { change: 'M', type: '/', path: '/' },
          { change: '+', type: 'F', path: '/f' },
        ])
        expect(sortDiff(await ctx.ok(driver.diff(snn(base, 'a@s'), snn(base, 'c@t'))))).toEqual(want)
        expect(sortDiff(await ctx.ok(driver.diff(snn(base, 'a@s'), dsn(base, 'c'))))).toEqual(want)
      }))

    it("a later snapshot as `from`: InvalidName, 'not an earlier snapshot from the same fs'", () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s1')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s2')))
        await ctx.fails(driver.diff(snn(base, 'a@s2'), snn(base, 'a@s1')), 'InvalidName', {
          reason: 'not an earlier snapshot from the same fs',
        })
      }))

    it('the same snapshot as `from` and `to`: InvalidName (a snapshot is not before itself)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.fails(driver.diff(snn(base, 'a@s'), snn(base, 'a@s')), 'InvalidName', {
          reason: 'not an earlier snapshot from the same fs',
        })
      }))

    it('a snapshot of an unrelated dataset as `from`: InvalidName', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.create(dsn(base, 'b')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.ok(driver.snapshot(snn(base, 'b@s')))
        await ctx.fails(driver.diff(snn(base, 'a@s'), snn(base, 'b@s')), 'InvalidName', {
          reason: 'not an earlier snapshot from the same fs',
        })
        await ctx.fails(driver.diff(snn(base, 'a@s'), dsn(base, 'b')), 'InvalidName')
      }))

    it('a missing snapshot or dataset: DatasetNotFound', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.ok(driver.create(dsn(base, 'a')))
        await ctx.ok(driver.snapshot(snn(base, 'a@s')))
        await ctx.fails(driver.diff(snn(base, 'a@x'), dsn(base, 'a')), 'DatasetNotFound')
        await ctx.fails(driver.diff(snn(base, 'a@s'), snn(base, 'a@x')), 'DatasetNotFound')
        await ctx.fails(driver.diff(snn(base, 'a@s'), dsn(base, 'x')), 'DatasetNotFound')
      }))
  })
}
