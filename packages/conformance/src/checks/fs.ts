/** fs: the file tree of a dataset (read-write) or a snapshot (read-only), and its errno-style codes. */
import type { FsCode } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { dsn, readAll, snn, text, utf8 } from './util.js'

export const fsChecks = (ctx: SuiteContext): void => {
  /** a fresh dataset `base/a` and its tree */
  const tree = async (f: Parameters<Parameters<SuiteContext['withFixture']>[0]>[0]) => {
    await ctx.ok(f.driver.create(dsn(f.base, 'a')))
    return ctx.ok(f.driver.fs(dsn(f.base, 'a')))
  }
  const io = (code: FsCode) => ({ code })

  describe('fs', () => {
    it('a missing dataset: DatasetNotFound', () =>
      ctx.withFixture(async ({ driver, base }) => {
        await ctx.fails(driver.fs(dsn(base, 'x')), 'DatasetNotFound')
      }))

    it("a snapshot's tree is read-only: writes fail with EROFS", () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.writeFile('f', utf8('x')))
        await ctx.ok(f.driver.snapshot(snn(f.base, 'a@s')))
        const s = await ctx.ok(f.driver.fs(snn(f.base, 'a@s')))
        expect(s.readOnly).toBe(true)
        await ctx.fails(s.writeFile('g', utf8('x')), 'Io', io('EROFS'))
        await ctx.fails(s.unlink('f'), 'Io', io('EROFS'))
        await ctx.fails(s.chmod('f', 0o600), 'Io', io('EROFS'))
        expect(text(await readAll(await ctx.ok(s.read('f'))))).toBe('x')
      }))

    it('files read back what was written; truncate keeps the object, append keeps the bytes', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.writeFile('f', utf8('hello'), { mode: 0o600, mtimeMs: 1_000_000 }))
        expect(await ctx.ok(t.lstat('f'))).toMatchObject({
          type: 'F',
          mode: 0o600,
          size: 5,
          nlink: 1,
          mtimeMs: 1_000_000,
        })
        const ino = (await ctx.ok(t.lstat('f'))).ino
        async function* chunks(): AsyncIterable<Uint8Array> {
          yield utf8('ab')
          yield utf8('c')
        }
        await ctx.ok(t.writeFile('f', chunks(), { flag: 'truncate' }))
        await ctx.ok(t.writeFile('f', utf8('d'), { flag: 'append' }))
        expect(text(await readAll(await ctx.ok(t.read('f'))))).toBe('abcd')
        expect((await ctx.ok(t.lstat('f'))).ino).toBe(ino)
      }))

    it('readdir lists names in byte order; symlinks read back their target', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        for (const n of ['b', 'B', 'a-b', 'a']) await ctx.ok(t.mkdir(n))
        await ctx.ok(t.symlink('../nowhere', 'l'))
        expect(await ctx.ok(t.readdir(''))).toEqual(['B', 'a', 'a-b', 'b', 'l'])
        expect(await ctx.ok(t.readlink('l'))).toBe('../nowhere')
        expect(await ctx.ok(t.lstat('l'))).toMatchObject({ type: '@', size: 10 })
      }))

    it('hard links share one object and count their names', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.writeFile('f', utf8('x')))
        await ctx.ok(t.link('f', 'g'))
        const [a, b] = [await ctx.ok(t.lstat('f')), await ctx.ok(t.lstat('g'))]
        expect(a.ino).toBe(b.ino)
        expect(a.nlink).toBe(2)
        await ctx.fails(t.link('', 'd'), 'Io', io('EPERM'))
      }))

    it('errno codes: ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.mkdir('d'))
        await ctx.ok(t.writeFile('d/f', utf8('x')))
        await ctx.fails(t.lstat('nope'), 'Io', io('ENOENT'))
        await ctx.fails(t.writeFile('nope/f', utf8('x')), 'Io', io('ENOENT'))
        await ctx.fails(t.mkdir('d'), 'Io', io('EEXIST'))
        await ctx.fails(t.writeFile('d/f', utf8('x')), 'Io', io('EEXIST'))
        await ctx.fails(t.mkdir('d/f/g'), 'Io', io('ENOTDIR'))
        await ctx.fails(t.rmdir('d/f'), 'Io', io('ENOTDIR'))
        await ctx.fails(t.unlink('d'), 'Io', io('EISDIR'))
        await ctx.fails(t.writeFile('d', utf8('x'), { flag: 'truncate' }), 'Io', io('EISDIR'))
        await ctx.fails(t.rmdir('d'), 'Io', io('ENOTEMPTY'))
        await ctx.fails(t.rename('d', 'd/e'), 'Io', io('EINVAL'))
        await ctx.fails(t.readlink('d/f'), 'Io', io('EINVAL'))
      }))

    it('link: the new name is looked up before the source type is checked (EEXIST / ENOENT before EPERM), as linkat(2) does', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.mkdir('d'))
        await ctx.ok(t.mkdir('e'))
        await ctx.fails(t.link('d', 'e'), 'Io', io('EEXIST'))
        await ctx.fails(t.link('d', 'x/y'), 'Io', io('ENOENT'))
        await ctx.fails(t.link('d', 'z'), 'Io', io('EPERM'))
      }))

    it('rename onto an ancestor of the source: ENOTEMPTY, as rename(2) does', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.mkdir('d'))
        await ctx.ok(t.writeFile('d/f', utf8('x')))
        await ctx.fails(t.rename('d/f', 'd'), 'Io', io('ENOTEMPTY'))
      }))

    it('the final component is never followed: ELOOP writing through a symlink, lstat sees the link', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.writeFile('f', utf8('x')))
        await ctx.ok(t.symlink('f', 'l'))
        await ctx.fails(t.writeFile('l', utf8('y'), { flag: 'truncate' }), 'Io', io('ELOOP'))
        await ctx.fails(t.read('l'), 'Io', io('ELOOP'))
        expect((await ctx.ok(t.lstat('l'))).type).toBe('@')
      }))

    it('resolution is confined to the root: absolute and ".." symlink targets land inside', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.mkdir('d'))
        await ctx.ok(t.symlink('../../../..', 'd/up'))
        await ctx.ok(t.symlink('/', 'abs'))
        await ctx.ok(t.writeFile('d/up/x', utf8('1')))
        await ctx.ok(t.writeFile('abs/y', utf8('2')))
        expect(await ctx.ok(t.readdir(''))).toEqual(['abs', 'd', 'x', 'y'])
        expect(text(await readAll(await ctx.ok(t.read('x'))))).toBe('1')
      }))

    it('chmod and utimes change the entry itself', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.mkdir('d'))
        await ctx.ok(t.chmod('d', 0o1750))
        await ctx.ok(t.utimes('d', 2_000_000))
        expect(await ctx.ok(t.lstat('d'))).toMatchObject({ type: '/', mode: 0o1750, mtimeMs: 2_000_000 })
      }))

    it('chmod of a symlink changes nothing: Linux keeps no symlink mode (always 0777) and the object is not modified', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.symlink('target', 'l'))
        await ctx.ok(f.driver.snapshot(snn(f.base, 'a@s')))
        await ctx.ok(t.chmod('l', 0o600))
        expect(await ctx.ok(t.lstat('l'))).toMatchObject({ type: '@', mode: 0o777 })
        expect(await ctx.ok(f.driver.diff(snn(f.base, 'a@s'), dsn(f.base, 'a')))).toEqual([])
      }))

    it('chown changes owner and group (where `capabilities.chown`)', (c) =>
      ctx.withFixture(async (f) => {
        if (!f.driver.capabilities.chown) return c.skip('capabilities.chown is false')
        const t = await tree(f)
        await ctx.ok(t.writeFile('f', utf8('x'), { uid: 7, gid: 8 }))
        expect(await ctx.ok(t.lstat('f'))).toMatchObject({ uid: 7, gid: 8 })
        await ctx.ok(t.chown('f', 1000, 1001))
        expect(await ctx.ok(t.lstat('f'))).toMatchObject({ uid: 1000, gid: 1001 })
      }))

    it('fifos always; device nodes where `capabilities.deviceNodes`, else Unsupported', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.mknod('p', '|'))
        expect((await ctx.ok(t.lstat('p'))).type).toBe('|')
        if (f.driver.capabilities.deviceNodes) {
          await ctx.ok(t.mknod('c', 'C', { rdev: 0x0103 }))
          expect(await ctx.ok(t.lstat('c'))).toMatchObject({ type: 'C', rdev: 0x0103 })
        } else await ctx.fails(t.mknod('c', 'C', { rdev: 0x0103 }), 'Unsupported')
      }))

    it('extended attributes where `capabilities.xattrs`, else Unsupported', () =>
      ctx.withFixture(async (f) => {
        const t = await tree(f)
        await ctx.ok(t.writeFile('f', utf8('x')))
        if (!f.driver.capabilities.xattrs) {
          await ctx.fails(t.setXattr('f', 'user.a', utf8('1')), 'Unsupported')
          return
        }
        await ctx.ok(t.setXattr('f', 'user.b', utf8('2')))
        await ctx.ok(t.setXattr('f', 'user.a', utf8('1')))
        expect([...(await ctx.ok(t.listXattrs('f')))].sort()).toEqual(['user.a', 'user.b'])
        expect(text(await ctx.ok(t.getXattr('f', 'user.a')))).toBe('1')
        await ctx.ok(t.removeXattr('f', 'user.a'))
        await ctx.fails(t.getXattr('f', 'user.a'), 'Io', io('ENODATA'))
      }))
  })
}
