// hostFileTree on real temp directories: resolution stays inside the root whatever symlinks say (RESOLVE_IN_ROOT), and the final component is never followed.
import { existsSync, lstatSync, readFileSync, readdirSync, symlinkSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { hostFileTree } from '../../src/index.js'
import { bytes, failsIo, ok, readAll, sandbox, type Sandbox, callModes } from './helpers.js'

let sb: Sandbox
let t: FileTree

// pinned: directories held by descriptor, the calls made on them through the C library (native) or through /proc; path: the checked-host-path fallback
describe.each(callModes())('pin=$pin native=$native', ({ pin, native }) => {
  beforeEach(() => {
    sb = sandbox()
    t = hostFileTree(sb.root, { readOnly: false, reservedRootNames: ['.zfs'], pin, native })
  })
  afterEach(() => sb.dispose())

  const outsideUntouched = (): void => {
    expect(readdirSync(sb.outside)).toEqual(['secret'])
    expect(readFileSync(join(sb.outside, 'secret'), 'utf8')).toBe('host secret')
    expect(readdirSync(join(sb.root, '..')).sort()).toEqual(['outside', 'root'])
  }

  describe('symlinks met on the way are re-rooted', () => {
    it("S1: 'l -> /' then 'l/x' writes <root>/x, never the host's /x", async () => {
      await ok(t.symlink('/', 'l'))
      await ok(t.writeFile('l/stratum-hostfs-probe', bytes('1')))
      expect(readFileSync(join(sb.root, 'stratum-hostfs-probe'), 'utf8')).toBe('1')
      expect(existsSync('/stratum-hostfs-probe')).toBe(false)
      outsideUntouched()
    })

    it("S2/S3: '..' targets stop at the root", async () => {
      await ok(t.mkdir('d'))
      await ok(t.symlink('../../../..', 'd/up'))
      await ok(t.writeFile('d/up/x', bytes('2')))
      await ok(t.symlink('../../../tmp', 'd/tmp'))
      await ok(t.mkdir('tmp'))
      await ok(t.writeFile('d/tmp/y', bytes('3')))
      expect(readdirSync(sb.root).sort()).toEqual(['d', 'tmp', 'x'])
      expect(readFileSync(join(sb.root, 'tmp', 'y'), 'utf8')).toBe('3')
      outsideUntouched()
    })

    it("'..' in the path itself stops at the root", async () => {
      await ok(t.mkdir('a'))
      await ok(t.writeFile('a/../../../../x', bytes('1')))
      expect(readFileSync(join(sb.root, 'x'), 'utf8')).toBe('1')
      expect((await ok(t.lstat('../..'))).ino).toBe(lstatSync(sb.root).ino)
      outsideUntouched()
    })

    it('an absolute target naming a host path is looked up inside the root', async () => {
      await ok(t.symlink(sb.outside, 'l'))
      await failsIo(t.read('l/secret'), 'ENOENT')
      await failsIo(t.writeFile('l/new', bytes('x')), 'ENOENT')
      await ok(t.symlink('../outside', 'rel'))
      await failsIo(t.read('rel/secret'), 'ENOENT')
      outsideUntouched()
    })

    it('S6: a directory replaced by a symlink to / is followed inside the root', async () => {
      await ok(t.mkdir('c'))
      await ok(t.writeFile('c/child', bytes('x')))
      await ok(t.unlink('c/child'))
      await ok(t.rmdir('c'))
      await ok(t.symlink('/', 'c'))
      await ok(t.writeFile('c/x', bytes('1')))
      expect(readdirSync(sb.root).sort()).toEqual(['c', 'x'])
      outsideUntouched()
    })

    it('H1-H3: a hard link source is resolved inside the root (a missing one is ENOENT)', async () => {
      await ok(t.symlink('/etc', 's'))
      await failsIo(t.link('s/passwd', 'x'), 'ENOENT')
      await failsIo(t.link('../../etc/passwd', 'y'), 'ENOENT')
      await ok(t.symlink(sb.outside, 'o'))
      await failsIo(t.link('o/secret', 'z'), 'ENOENT')
      expect(readdirSync(sb.root).sort()).toEqual(['o', 's'])
      outsideUntouched()
    })

    it('S5: loops are ELOOP', async () => {
      await ok(t.symlink('b', 'a'))
      await ok(t.symlink('a', 'b'))
      await ok(t.symlink('self', 'self'))
      await failsIo(t.writeFile('a/x', bytes('1')), 'ELOOP')
      await failsIo(t.lstat('self/x'), 'ELOOP')
    })

    it('40 symlinks on the way resolve; 41 are ELOOP', async () => {
      await ok(t.mkdir('d'))
      for (let i = 0; i < 41; i++) await ok(t.symlink(i === 0 ? 'd' : `l${i - 1}`, `l${i}`))
      await ok(t.writeFile('l39/ok', bytes('1'))) // l39 -> ... -> l0 -> d: 40 links
      await failsIo(t.writeFile('l40/no', bytes('1')), 'ELOOP')
    })

    it('a file on the way is ENOTDIR, a missing directory ENOENT, an empty symlink target ENOENT', async () => {
      await ok(t.writeFile('f', bytes('x')))
      await failsIo(t.writeFile('f/x', bytes('1')), 'ENOTDIR')
      await failsIo(t.mkdir('nope/x'), 'ENOENT')
    })
  })

  describe('the final component is never followed', () => {
    beforeEach(() => {
      writeFileSync(join(sb.root, 'target'), 'inside')
      symlinkSync(join(sb.outside, 'secret'), join(sb.root, 'out'))
      symlinkSync('target', join(sb.root, 'in'))
    })

    it('read and truncate/append of a symlink are ELOOP; create is EEXIST', async () => {
      await failsIo(t.read('out'), 'ELOOP')
      await failsIo(t.read('in'), 'ELOOP')
      await failsIo(t.writeFile('out', bytes('pwned'), { flag: 'truncate' }), 'ELOOP')
      await failsIo(t.writeFile('in', bytes('x'), { flag: 'append' }), 'ELOOP')
      await failsIo(t.writeFile('out', bytes('pwned')), 'EEXIST')
      await failsIo(t.mkdir('out'), 'EEXIST')
      await failsIo(t.symlink('x', 'out'), 'EEXIST')
      await failsIo(t.mknod('out', '|'), 'EEXIST')
      outsideUntouched()
      expect(readFileSync(join(sb.root, 'target'), 'utf8')).toBe('inside')
    })

    it('lstat, readlink, chmod, chown, utimes, unlink, rename and link act on the link itself', async () => {
      const targetBefore = lstatSync(join(sb.outside, 'secret'))
      expect((await ok(t.lstat('out'))).type).toBe('@')
      expect(await ok(t.readlink('out'))).toBe(join(sb.outside, 'secret'))
      await ok(t.chmod('out', 0o600))
      await ok(t.chown('out', 123, 456))
      await ok(t.utimes('out', 1_234_567))
      const link = await ok(t.lstat('out'))
      expect(link).toMatchObject({ type: '@', mode: 0o777, uid: 123, gid: 456, mtimeMs: 1_234_567 })
      const targetAfter = lstatSync(join(sb.outside, 'secret'))
      expect([targetAfter.mode, targetAfter.uid, targetAfter.gid, targetAfter.mtimeMs]).toEqual([
        targetBefore.mode,
        targetBefore.uid,
        targetBefore.gid,
        targetBefore.mtimeMs,
      ])
      await ok(t.link('out', 'out2')) // H7: a hard link of the symlink object
      expect(await ok(t.lstat('out2'))).toMatchObject({ type: '@', ino: link.ino, nlink: 2 })
      await ok(t.rename('out2', 'out3'))
      await ok(t.unlink('out3'))
      await ok(t.unlink('out'))
      outsideUntouched()
    })

    it('readdir of a symlink to a directory is ENOTDIR; rmdir of it too', async () => {
      await ok(t.mkdir('d'))
      await ok(t.symlink('d', 'ld'))
      await failsIo(t.readdir('ld'), 'ENOTDIR')
      await failsIo(t.rmdir('ld'), 'ENOTDIR')
      await failsIo(t.readdir('ld/.'), 'ENOTDIR') // '.' components are ignored (fs.ts), so this names 'ld' too
    })
  })

  describe('read-only trees', () => {
    it('every mutating call is EROFS and changes nothing; reads work', async () => {
      writeFileSync(join(sb.root, 'f'), 'x')
      mkdirSync(join(sb.root, 'd'))
      const ro = hostFileTree(sb.root, { readOnly: true, pin, native })
      expect(ro.readOnly).toBe(true)
      const calls = [
        ro.writeFile('g', bytes('x')),
        ro.writeFile('f', bytes('y'), { flag: 'truncate' }),
        ro.mkdir('e'),
        ro.symlink('f', 's'),
        ro.link('f', 'h'),
        ro.mknod('p', '|'),
        ro.mknod('c', 'C'),
        ro.unlink('f'),
        ro.rmdir('d'),
        ro.rename('f', 'g'),
        ro.chmod('f', 0o777),
        ro.chown('f', 1, 1),
        ro.utimes('f', 0),
      ]
      for (const c of calls) await failsIo(c, 'EROFS')
      expect(readdirSync(sb.root).sort()).toEqual(['d', 'f'])
      expect(await readAll(await ok(ro.read('f')))).toBe('x')
      expect(await ok(ro.readdir(''))).toEqual(['d', 'f'])
    })
  })

  describe("reserved names at the root ('.zfs')", () => {
    it('are refused directly and through symlinks, and hidden from readdir; deeper ones are ordinary', async () => {
      mkdirSync(join(sb.root, '.zfs'))
      await failsIo(t.mkdir('.zfs/snapshot'), 'EPERM')
      await failsIo(t.lstat('.zfs'), 'EPERM')
      await ok(t.symlink('/.zfs', 'z'))
      await failsIo(t.writeFile('z/x', bytes('1')), 'EPERM')
      await ok(t.symlink('..', 'up'))
      await failsIo(t.mkdir('up/.zfs/x'), 'EPERM')
      expect(await ok(t.readdir(''))).toEqual(['up', 'z'])
      await ok(t.mkdir('d'))
      await ok(t.mkdir('d/.zfs'))
      expect(readdirSync(join(sb.root, '.zfs'))).toEqual([])
    })
  })

  describe('hostile paths', () => {
    it('a NUL byte in a name is EINVAL', async () => {
      await failsIo(t.writeFile('a\u0000b', bytes('x')), 'EINVAL')
    })

    // property: whatever symlinks (to '/', '..', host paths, each other) and operations a sequence makes, nothing outside the root is created, changed or read
    it('random symlink mazes never reach outside the root', async () => {
      const names = ['a', 'b', 'c', 'a/b', 'b/c']
      const targets = () => [
        '/',
        '..',
        '../..',
        '../../outside',
        sb.outside,
        join(sb.outside, 'secret'),
        'a',
        '/a/../..',
        'b/../../..',
        'c',
      ]
      const op = fc.oneof(
        fc.record({ k: fc.constant('symlink' as const), target: fc.nat(9), at: fc.constantFrom(...names) }),
        fc.record({ k: fc.constant('mkdir' as const), at: fc.constantFrom(...names, 'a/x', 'b/x/y') }),
        fc.record({
          k: fc.constant('write' as const),
          at: fc.constantFrom(...names, 'a/secret', 'b/secret', 'c/outside/secret', 'secret'),
          flag: fc.constantFrom('create', 'truncate', 'append') as fc.Arbitrary<'create' | 'truncate' | 'append'>,
        }),
        fc.record({
          k: fc.constant('read' as const),
          at: fc.constantFrom('a/secret', 'b/secret', 'c/secret', 'a/outside/secret', 'c'),
        }),
        fc.record({ k: fc.constant('remove' as const), at: fc.constantFrom(...names, 'a/secret', 'b/secret') }),
        fc.record({ k: fc.constant('chmod' as const), at: fc.constantFrom(...names, 'a/secret', 'b/secret') }),
      )
      await fc.assert(
        fc.asyncProperty(fc.array(op, { maxLength: 14 }), async (ops) => {
          sb.dispose()
          sb = sandbox()
          t = hostFileTree(sb.root, { readOnly: false, pin, native })
          const secretMode = lstatSync(join(sb.outside, 'secret')).mode
          for (const o of ops) {
            switch (o.k) {
              case 'symlink':
                await t.symlink(targets()[o.target]!, o.at)()
                break
              case 'mkdir':
                await t.mkdir(o.at)()
                break
              case 'write':
                await t.writeFile(o.at, bytes('w'), { flag: o.flag, mode: 0o777 })()
                break
              case 'read': {
                const r = await t.read(o.at)()
                if (r._tag === 'Right') expect(await readAll(r.right)).not.toContain('host secret')
                break
              }
              case 'remove':
                await t.unlink(o.at)()
                await t.rmdir(o.at)()
                break
              case 'chmod':
                await t.chmod(o.at, 0o777)()
                break
            }
          }
          outsideUntouched()
          expect(lstatSync(join(sb.outside, 'secret')).mode).toBe(secretMode)
        }),
        { numRuns: 150 },
      )
    })
  })
})
