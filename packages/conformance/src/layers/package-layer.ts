/** packageLayer: named checks of what the tar says for each kind of change, determinism (U6) and cost. */
import { describe, expect, it } from 'vitest'
import type { AnyName, Driver, FileTree } from '@stratum/core'
import type { SuiteContext } from '../context.js'
import { MTIME } from './apply-tar.js'
import { entryList, layerPair, must, packageBytes, roundTrip } from './package-fixtures.js'

const w = (t: FileTree, p: string, s: string, mtimeMs = MTIME) =>
  must(t.writeFile(p, Buffer.from(s), { mtimeMs }), `write ${p}`)
const md = (t: FileTree, p: string) => must(t.mkdir(p, { mtimeMs: MTIME }), `mkdir ${p}`)
const rmrf = async (t: FileTree, p: string): Promise<void> => {
  const st = await must(t.lstat(p), 'lstat')
  if (st.type !== '/') return must(t.unlink(p), 'unlink')
  for (const c of await must(t.readdir(p), 'readdir')) await rmrf(t, `${p}/${c}`)
  await must(t.rmdir(p), 'rmdir')
}

/** A driver whose file trees count readdir calls per path (to show which directories packaging lists). */
const counting = (d: Driver, listed: string[]): Driver => ({
  ...d,
  fs: (n: AnyName) => async () => {
    const r = await d.fs(n)()
    if (r._tag === 'Left') return r
    const t = r.right
    return {
      _tag: 'Right',
      right: {
        ...t,
        readdir: (p: string) => {
          listed.push(p)
          return t.readdir(p)
        },
      },
    }
  },
})

export const packageLayerChecks = (ctx: SuiteContext): void => {
  describe('layer packaging', () => {
    it('added, modified and removed files; a removed subtree is one whiteout; parents are included', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            for (const d of ['a', 'a/sub', 'gone', 'gone/deep', 'same']) await md(t, d)
            for (const f of ['a/mod', 'a/del', 'a/sub/keep', 'gone/deep/f', 'same/f']) await w(t, f, f)
          },
          async (t) => {
            await w(t, 'a/new', 'new')
            await must(
              t.writeFile('a/mod', Buffer.from('changed'), { flag: 'truncate', mtimeMs: MTIME + 1000 }),
              'truncate',
            )
            await must(t.unlink('a/del'), 'unlink')
            await rmrf(t, 'gone')
            await w(t, 'a/sub/added', 'x')
          },
        )
        expect(await entryList(await packageBytes(driver, pair))).toEqual([
          'D ./',
          'F .wh.gone',
          'D a/',
          'F a/.wh.del',
          'F a/mod',
          'F a/new',
          'D a/sub/',
          'F a/sub/added',
        ])
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it('a directory replaced by a new directory gets an opaque marker and its full content', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await md(t, 'd')
            await w(t, 'd/old', 'o')
            await w(t, 'd/kept-name', 'k')
          },
          async (t) => {
            await rmrf(t, 'd')
            await md(t, 'd')
            await w(t, 'd/kept-name', 'k2')
            await md(t, 'd/n')
          },
        )
        expect(await entryList(await packageBytes(driver, pair))).toEqual([
          'D ./',
          'D d/',
          'F d/.wh..wh..opq',
          'F d/kept-name',
          'D d/n/',
        ])
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it("renames become a whiteout and an add with the moved subtree's full content", () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await md(t, 'src')
            await md(t, 'src/tree')
            await w(t, 'src/tree/f', 'f')
            await w(t, 'file', 'x')
            await md(t, 'dst')
          },
          async (t) => {
            await must(t.rename('src/tree', 'dst/tree'), 'rename dir')
            await must(t.rename('file', 'dst/file2'), 'rename file')
          },
        )
        expect(await entryList(await packageBytes(driver, pair))).toEqual([
          'D ./',
          'F .wh.file',
          'D dst/',
          'F dst/file2',
          'D dst/tree/',
          'F dst/tree/f',
          'D src/',
          'F src/.wh.tree',
        ])
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it("a path under a symlink of the parent is not the parent's entry: a looping link and a link to a directory are replaced by real directories", () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await md(t, 'b')
            await w(t, 'b/f', 'lower')
            await must(t.symlink('/c', 'c'), 'symlink c -> /c (a loop)')
            await must(t.symlink('b', 'd'), 'symlink d -> b')
          },
          async (t) => {
            await must(t.rename('c', 'a'), 'rename the looping link')
            await md(t, 'c')
            await md(t, 'c/a')
            await w(t, 'c/a/a', '')
            await must(t.unlink('d'), 'unlink d')
            await md(t, 'd')
            await w(t, 'd/f', 'upper')
          },
        )
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it('a directory replaced by a file and a file replaced by a directory', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await md(t, 'd')
            await w(t, 'd/c', 'c')
            await w(t, 'f', 'f')
          },
          async (t) => {
            await rmrf(t, 'd')
            await w(t, 'd', 'now a file')
            await must(t.unlink('f'), 'unlink')
            await md(t, 'f')
            await w(t, 'f/in', 'in')
          },
        )
        expect(await entryList(await packageBytes(driver, pair))).toEqual(['D ./', 'F d', 'D f/', 'F f/in'])
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it('hard links among new entries: the first name in byte order is the file, the others link to it', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async () => {},
          async (t) => {
            await w(t, 'z', 'shared')
            await must(t.link('z', 'b'), 'link')
            await md(t, 'd')
            await must(t.link('z', 'd/y'), 'link')
            await must(t.symlink('z', 's', { mtimeMs: MTIME }), 'symlink')
            await must(t.link('s', 's2'), 'link symlink')
          },
        )
        expect(await entryList(await packageBytes(driver, pair))).toEqual([
          'D ./',
          'F b',
          'D d/',
          'H d/y -> b',
          'S s -> z',
          'H s2 -> s',
          'H z -> b',
        ])
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it('a new name of an unchanged lower file links to its existing name (H5 on the way back)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await md(t, 'lib')
            await w(t, 'lib/big', 'lower content')
          },
          async (t) => {
            await md(t, 'bin')
            await must(t.link('lib/big', 'bin/alias'), 'link')
          },
        )
        expect(await entryList(await packageBytes(driver, pair))).toEqual(['D ./', 'D bin/', 'H bin/alias -> lib/big'])
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it('metadata survives the round trip: modes with setuid, owners, sub-second mtimes, xattrs, symlinks, fifos, devices', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const caps = driver.capabilities
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await md(t, 'etc')
            await w(t, 'etc/conf', 'c')
          },
          async (t) => {
            await must(
              t.writeFile('suid', Buffer.from('s'), {
                mode: 0o4755,
                mtimeMs: MTIME + 123,
                ...(caps.chown ? { uid: 1000, gid: 100 } : {}),
              }),
              'suid',
            )
            await must(t.chmod('etc', 0o1750), 'chmod dir')
            await must(t.utimes('etc', MTIME + 7), 'utimes dir')
            await must(t.symlink('/etc/conf', 'link', { mtimeMs: MTIME + 5 }), 'symlink')
            await must(t.mknod('fifo', '|', { mode: 0o600, mtimeMs: MTIME }), 'fifo')
            if (caps.deviceNodes)
              await must(t.mknod('null', 'C', { mode: 0o666, rdev: 0x103, mtimeMs: MTIME }), 'device')
            if (caps.xattrs) {
              await must(t.setXattr('suid', 'user.note', Buffer.from('hello')), 'xattr')
              await must(t.setXattr('etc/conf', 'user.k', Buffer.from('v')), 'xattr')
            }
          },
        )
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
        expect(rt.got.suid).toMatchObject({ mode: 0o4755, mtimeMs: MTIME + 123 })
      }))

    it('a changed entry at the top level carries the root directory entry, so the root keeps its mtime (regression)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await must(t.mknod('b', '|', { mtimeMs: MTIME }), 'fifo')
          },
          async (t) => {
            await must(t.utimes('b', MTIME + 1000), 'utimes')
          },
        )
        expect(await entryList(await packageBytes(driver, pair))).toEqual(['D ./', 'P b'])
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it('a file rewritten with the same size and mtime and then linked is not mistaken for a link-only change (regression)', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await w(t, 'f', 'old')
          },
          async (t) => {
            await must(t.writeFile('f', Buffer.from('new'), { flag: 'truncate', mtimeMs: MTIME }), 'rewrite')
            await must(t.link('f', 'g'), 'link')
          },
        )
        expect(await entryList(await packageBytes(driver, pair))).toEqual(['D ./', 'F f', 'H g -> f'])
        const rt = await roundTrip(driver, base, pair, 'p')
        expect(rt.got).toEqual(rt.want)
      }))

    it('U6 packaging the same layer twice gives byte-identical output', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            await md(t, 'd')
            await w(t, 'd/a', 'a')
          },
          async (t) => {
            for (let i = 0; i < 20; i++) await w(t, `d/f${i}`, `${i}`.repeat(i * 50), MTIME + i * 333)
            await must(t.unlink('d/a'), 'unlink')
          },
        )
        const [a, b] = [await packageBytes(driver, pair), await packageBytes(driver, pair)]
        expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
      }))

    it('cost follows the changes: packaging lists only the changed directories, never the unchanged tree', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            for (let d = 0; d < 20; d++) {
              await md(t, `d${d}`)
              for (let f = 0; f < 5; f++) await w(t, `d${d}/f${f}`, 'x')
            }
          },
          async (t) => {
            await w(t, 'd3/new', 'n')
            await must(t.unlink('d7/f1'), 'unlink')
          },
        )
        const listed: string[] = []
        await packageBytes(counting(driver, listed), pair)
        expect([...new Set(listed)].sort()).toEqual(['d3', 'd7'])
      }))
  })
}
