/** docs/LAYER-SECURITY.md vectors W1-W7 (whiteouts and opaque directories), each a named check with U1, U3, U5. */
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { applyEntries, contentAt, dumpTree, existsAt } from './apply-tar.js'
import { withBed } from './hostile-bed.js'

const LOWER = [
  { name: 'a/', type: 'directory' as const },
  { name: 'a/b', body: 'b' },
  { name: 'a/c/', type: 'directory' as const },
  { name: 'a/c/deep', body: 'deep' },
  { name: 'a/keep', body: 'keep' },
  { name: 'etc/', type: 'directory' as const },
  { name: 'etc/conf', body: 'c' },
]

export const hostileWhiteoutChecks = (ctx: SuiteContext): void => {
  describe('layer hostile vectors: whiteouts', () => {
    it(
      'W1 a/.wh.b removes a/b of lower layers, a file or a whole subtree',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, LOWER, f.driver.capabilities))
        await ctx.ok(() => applyEntries(b.tree, [{ name: 'a/.wh.b' }, { name: 'a/.wh.c' }], f.driver.capabilities))
        expect(Object.keys(await dumpTree(b.tree))).toEqual(['.', 'a', 'a/keep', 'etc', 'etc/conf'])
      }),
    )

    it(
      'W2 a/.wh..wh..opq hides every lower entry of a; entries of a in the same layer stay, before or after the marker',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, LOWER, f.driver.capabilities))
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'a/', type: 'directory' },
              { name: 'a/before', body: '1' },
              { name: 'a/.wh..wh..opq' },
              { name: 'a/after', body: '2' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(Object.keys(await dumpTree(b.tree))).toEqual(['.', 'a', 'a/after', 'a/before', 'etc', 'etc/conf'])
      }),
    )

    it(
      "W2b an opaque directory keeps the same layer's entries deep inside a lower subdirectory",
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, LOWER, f.driver.capabilities))
        await ctx.ok(() =>
          applyEntries(b.tree, [{ name: 'a/c/new', body: 'n' }, { name: 'a/.wh..wh..opq' }], f.driver.capabilities),
        )
        expect(Object.keys(await dumpTree(b.tree))).toEqual(['.', 'a', 'a/c', 'a/c/new', 'etc', 'etc/conf'])
      }),
    )

    it(
      'W3 a whiteout for a path that does not exist is a no-op',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, LOWER, f.driver.capabilities))
        const before = await dumpTree(b.tree)
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [{ name: 'a/.wh.nothing' }, { name: 'no/such/.wh.dir' }, { name: 'a/b/.wh.x' }],
            f.driver.capabilities,
          ),
        )
        expect(await dumpTree(b.tree)).toEqual(before)
      }),
    )

    it(
      'W4 whiteout names that escape or name nothing are refused',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, LOWER, f.driver.capabilities))
        for (const name of ['a/.wh...', 'a/.wh..', '.wh...', 'a/.wh.']) {
          await ctx.fails(() => applyEntries(b.tree, [{ name }], f.driver.capabilities), 'UnsafePath', { entry: name })
        }
        expect(await contentAt(b.tree, 'a/b')).toBe('b')
      }),
    )

    it(
      'W5 a whiteout under a symlinked parent (s -> /, s/.wh.etc) is refused and removes nothing',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(b.tree, [...LOWER, { name: 's', type: 'symlink', linkname: '/' }], f.driver.capabilities),
        )
        await ctx.fails(() => applyEntries(b.tree, [{ name: 's/.wh.etc' }], f.driver.capabilities), 'UnsafePath', {
          entry: 's/.wh.etc',
        })
        expect(await contentAt(b.tree, 'etc/conf')).toBe('c')
      }),
    )

    it(
      'W6 a whiteout after a file of the same name in the same layer hides lower layers only: the file stays',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, LOWER, f.driver.capabilities))
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [{ name: 'a/b', body: 'new b' }, { name: 'a/.wh.b' }, { name: 'x', body: 'x' }, { name: '.wh.x' }],
            f.driver.capabilities,
          ),
        )
        expect([await contentAt(b.tree, 'a/b'), await contentAt(b.tree, 'x')]).toEqual(['new b', 'x'])
      }),
    )

    it(
      'W7 whiteout files never appear in the extracted tree',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [...LOWER, { name: 'a/.wh.zzz' }, { name: 'a/c/.wh..wh..opq' }, { name: '.wh..wh.plnk' }],
            f.driver.capabilities,
          ),
        )
        expect(Object.keys(await dumpTree(b.tree)).filter((p) => p.includes('.wh.'))).toEqual([])
        expect(await existsAt(b.tree, 'a/c/deep')).toBe(true)
      }),
    )
  })
}
