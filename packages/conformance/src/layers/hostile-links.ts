/** docs/LAYER-SECURITY.md vectors S1-S7 (symlinks) and H1-H7 (hard links), each a named check with U1, U3, U5. */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import type { FileTree } from '@stratum/core'
import type { SuiteContext } from '../context.js'
import { applyEntries, contentAt, existsAt } from './apply-tar.js'
import { withBed, stat } from './hostile-bed.js'

const link = (t: FileTree, p: string): Promise<string | undefined> =>
  t
    .readlink(p)()
    .then((r) => (E.isRight(r) ? r.right : undefined))

export const hostileLinkChecks = (ctx: SuiteContext): void => {
  describe('layer hostile vectors: symlinks', () => {
    it(
      'S1 l -> /etc, then l/passwd is clamped to <root>/etc/passwd',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'l', type: 'symlink', linkname: '/etc' },
              { name: 'l/passwd', body: 'mine' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(await contentAt(b.tree, 'etc/passwd')).toBe('mine')
        expect(await link(b.tree, 'l')).toBe('/etc')
      }),
    )

    it(
      'S2 l -> ../../../.., then l/x is clamped to <root>/x',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'l', type: 'symlink', linkname: '../../../..' },
              { name: 'l/x', body: 'x' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(await contentAt(b.tree, 'x')).toBe('x')
      }),
    )

    it(
      'S3 d/l -> ../../../tmp, then d/l/x is clamped to <root>/tmp/x',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'd/', type: 'directory' },
              { name: 'd/l', type: 'symlink', linkname: '../../../tmp' },
              { name: 'd/l/x', body: 't' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(await contentAt(b.tree, 'tmp/x')).toBe('t')
      }),
    )

    it(
      'S4 a dangling symlink is applied as a symlink and nothing is created at its target',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(b.tree, [{ name: 'dang', type: 'symlink', linkname: '/nowhere/file' }], f.driver.capabilities),
        )
        expect(await link(b.tree, 'dang')).toBe('/nowhere/file')
        expect(await existsAt(b.tree, 'nowhere')).toBe(false)
      }),
    )

    it(
      'S5 a -> b, b -> a, then a/x is refused (loop)',
      withBed(ctx, async (b, f) => {
        const e = await ctx.fails(
          () =>
            applyEntries(
              b.tree,
              [
                { name: 'a', type: 'symlink', linkname: 'b' },
                { name: 'b', type: 'symlink', linkname: 'a' },
                { name: 'a/x', body: 'x' },
              ],
              f.driver.capabilities,
            ),
          'UnsafePath',
          { entry: 'a/x' },
        )
        expect(e.reason).toMatch(/symlinks/)
      }),
    )

    it(
      'S6 a directory c/ with children replaced by c -> / in the same layer, then c/x, is clamped to <root>/x',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'c/', type: 'directory' },
              { name: 'c/y', body: 'y' },
              { name: 'c', type: 'symlink', linkname: '/' },
              { name: 'c/x', body: 'x' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(await contentAt(b.tree, 'x')).toBe('x')
        expect((await stat(b.tree, 'c')).type).toBe('@')
        expect(await existsAt(b.tree, 'y')).toBe(false)
      }),
    )

    it(
      'a directory replaced by a self-referencing symlink in the same layer leaves no stale directory metadata (regression)',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'a/a/', type: 'directory' },
              { name: 'a', type: 'symlink', linkname: 'a' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(await link(b.tree, 'a')).toBe('a')
      }),
    )

    it(
      'S7 a symlink entry replaces a directory of a lower layer',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'd/', type: 'directory' },
              { name: 'd/f', body: 'f' },
            ],
            f.driver.capabilities,
          ),
        )
        await ctx.ok(() =>
          applyEntries(b.tree, [{ name: 'd', type: 'symlink', linkname: 'elsewhere' }], f.driver.capabilities),
        )
        expect(await link(b.tree, 'd')).toBe('elsewhere')
        expect(await existsAt(b.tree, 'elsewhere')).toBe(false)
      }),
    )
  })

  describe('layer hostile vectors: hard links', () => {
    it(
      'H1 a link to /etc/passwd that does not exist in the root is refused',
      withBed(ctx, async (b, f) => {
        await ctx.fails(
          () => applyEntries(b.tree, [{ name: 'h', type: 'link', linkname: '/etc/passwd' }], f.driver.capabilities),
          'UnsafePath',
          { entry: 'h' },
        )
        expect(await existsAt(b.tree, 'h')).toBe(false)
      }),
    )

    it(
      'H2 a link to ../../etc/shadow is refused',
      withBed(ctx, async (b, f) => {
        await ctx.fails(
          () =>
            applyEntries(b.tree, [{ name: 'h', type: 'link', linkname: '../../etc/shadow' }], f.driver.capabilities),
          'UnsafePath',
          { entry: 'h' },
        )
      }),
    )

    it(
      "H3 a link through s -> /etc resolves inside the root: refused when missing there, the root's file when present",
      withBed(ctx, async (b, f) => {
        await ctx.fails(
          () =>
            applyEntries(
              b.tree,
              [
                { name: 's', type: 'symlink', linkname: '/etc' },
                { name: 'h', type: 'link', linkname: 's/passwd' },
              ],
              f.driver.capabilities,
            ),
          'UnsafePath',
          { entry: 'h' },
        )
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'etc/passwd', body: 'root-local' },
              { name: 'h', type: 'link', linkname: 's/passwd' },
            ],
            f.driver.capabilities,
          ),
        )
        expect(await contentAt(b.tree, 'h')).toBe('root-local')
        expect((await stat(b.tree, 'h')).ino).toBe((await stat(b.tree, 'etc/passwd')).ino)
      }),
    )

    it(
      'H4 a link to an entry that appears later in the tar is refused',
      withBed(ctx, async (b, f) => {
        await ctx.fails(
          () =>
            applyEntries(
              b.tree,
              [
                { name: 'h', type: 'link', linkname: 'later' },
                { name: 'later', body: 'l' },
              ],
              f.driver.capabilities,
            ),
          'UnsafePath',
          { entry: 'h' },
        )
      }),
    )

    it(
      'H5 a link to a file of a lower layer is applied and shares the object',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, [{ name: 'f', body: 'lower' }], f.driver.capabilities))
        await ctx.ok(() => applyEntries(b.tree, [{ name: 'g', type: 'link', linkname: 'f' }], f.driver.capabilities))
        const [sf, sg] = [await stat(b.tree, 'f'), await stat(b.tree, 'g')]
        expect(sg.ino).toBe(sf.ino)
        expect(sg.nlink).toBe(2)
        expect(await contentAt(b.tree, 'g')).toBe('lower')
      }),
    )

    it(
      'H6 a link to a directory is refused',
      withBed(ctx, async (b, f) => {
        const e = await ctx.fails(
          () =>
            applyEntries(
              b.tree,
              [
                { name: 'd/', type: 'directory' },
                { name: 'h', type: 'link', linkname: 'd' },
              ],
              f.driver.capabilities,
            ),
          'UnsafePath',
          { entry: 'h' },
        )
        expect(e.reason).toMatch(/directory/)
      }),
    )

    it(
      'H7 a link to a symlink links the symlink object itself, never its target',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'f', body: 'target' },
              { name: 'l', type: 'symlink', linkname: 'f' },
              { name: 'h', type: 'link', linkname: 'l' },
            ],
            f.driver.capabilities,
          ),
        )
        const [sl, sh, sf] = [await stat(b.tree, 'l'), await stat(b.tree, 'h'), await stat(b.tree, 'f')]
        expect(sh.type).toBe('@')
        expect(sh.ino).toBe(sl.ino)
        expect(sf.nlink).toBe(1)
        expect(await link(b.tree, 'h')).toBe('f')
      }),
    )
  })
}
