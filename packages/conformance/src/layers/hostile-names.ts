/** docs/LAYER-SECURITY.md vectors N1-N10 (entry names), each a named check with the invariants U1, U3, U5. */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import type { SuiteContext } from '../context.js'
import { applyEntries, contentAt, existsAt } from './apply-tar.js'
import { withBed } from './hostile-bed.js'

export const hostileNameChecks = (ctx: SuiteContext): void => {
  describe('layer hostile vectors: names', () => {
    it(
      'N1 absolute name /etc/x is applied as etc/x inside the root',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, [{ name: '/etc/x', body: 'in' }], f.driver.capabilities))
        expect(await contentAt(b.tree, 'etc/x')).toBe('in')
      }),
    )

    it(
      'N2 ../x and a/../../x are refused, naming the entry',
      withBed(ctx, async (b, f) => {
        for (const name of ['../x', 'a/../../x']) {
          await ctx.fails(() => applyEntries(b.tree, [{ name, body: 'out' }], f.driver.capabilities), 'UnsafePath', {
            entry: name,
          })
        }
        expect(await existsAt(b.tree, 'x')).toBe(false)
      }),
    )

    it(
      'N3 ./a/./b is applied as a/b',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, [{ name: './a/./b', body: 'ab' }], f.driver.capabilities))
        expect(await contentAt(b.tree, 'a/b')).toBe('ab')
      }),
    )

    it(
      'N4 an empty name and a regular file named . are refused',
      withBed(ctx, async (b, f) => {
        await ctx.fails(() => applyEntries(b.tree, [{ name: '', body: 'x' }], f.driver.capabilities), 'UnsafePath', {
          entry: '',
        })
        await ctx.fails(() => applyEntries(b.tree, [{ name: '.', body: 'x' }], f.driver.capabilities), 'UnsafePath', {
          entry: '.',
        })
      }),
    )

    it(
      'N5 a PAX name containing NUL is refused',
      withBed(ctx, async (b, f) => {
        await ctx.fails(
          () => applyEntries(b.tree, [{ name: 'a\u0000b', body: 'x' }], f.driver.capabilities),
          'UnsafePath',
          { entry: 'a\u0000b' },
        )
        expect(await existsAt(b.tree, 'a')).toBe(false)
      }),
    )

    it(
      'N6 a 4,000-byte PAX path of ordinary components is applied',
      withBed(ctx, async (b, f) => {
        const name = Array.from({ length: 445 }, (_, i) => `c${String(i).padStart(7, '0')}`)
          .join('/')
          .slice(0, 3999)
        expect(Buffer.byteLength(name)).toBe(3999)
        await ctx.ok(() => applyEntries(b.tree, [{ name, body: 'deep' }], f.driver.capabilities))
        expect(await contentAt(b.tree, name)).toBe('deep')
      }),
    )

    it(
      'N7 the same path twice as regular files: the later entry wins',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'f', body: 'one' },
              { name: 'f', body: 'two' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(await contentAt(b.tree, 'f')).toBe('two')
      }),
    )

    it(
      'N7b a file over a hard-linked lower file is a new object: the other name keeps its content',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'f', body: 'lower' },
              { name: 'g', type: 'link', linkname: 'f' },
            ],
            f.driver.capabilities,
          ),
        )
        await ctx.ok(() => applyEntries(b.tree, [{ name: 'f', body: 'upper' }], f.driver.capabilities))
        expect([await contentAt(b.tree, 'f'), await contentAt(b.tree, 'g')]).toEqual(['upper', 'lower'])
      }),
    )

    it(
      'N8 a directory, then a regular file at the same path: the file replaces the directory and its children',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'd/', type: 'directory' },
              { name: 'd/c', body: 'child' },
              { name: 'd', body: 'file now' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(await contentAt(b.tree, 'd')).toBe('file now')
        expect(await existsAt(b.tree, 'd/c')).toBe(false)
      }),
    )

    it(
      'N9 a regular file f, then f/child, is refused: f is not a directory',
      withBed(ctx, async (b, f) => {
        const e = await ctx.fails(
          () =>
            applyEntries(
              b.tree,
              [
                { name: 'f', body: 'x' },
                { name: 'f/child', body: 'y' },
              ],
              f.driver.capabilities,
            ),
          'UnsafePath',
          { entry: 'f/child' },
        )
        expect(e.reason).toMatch(/not a directory/)
      }),
    )

    it(
      'N10 names differing only by unicode normalization are two distinct files',
      withBed(ctx, async (b, f) => {
        const [nfc, nfd] = ['caf\u00e9', 'cafe\u0301']
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: nfc, body: 'composed' },
              { name: nfd, body: 'decomposed' },
            ],
            f.driver.capabilities,
          ),
        )
        expect([await contentAt(b.tree, nfc), await contentAt(b.tree, nfd)]).toEqual(['composed', 'decomposed'])
        const names = await b.tree.readdir('')()
        expect(E.isRight(names) && names.right.filter((n) => n.startsWith('caf')).length).toBe(2)
      }),
    )
  })
}
