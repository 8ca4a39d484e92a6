// hostFileTree follows fs.ts's FileTree semantics on a real directory: contents, metadata, errno codes, special files.
import { lstatSync, statSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { hostFileTree } from '../../src/index.js'
import { bytes, failsIo, failsTag, ok, readAll, sandbox, type Sandbox, callModes } from './helpers.js'

const isRoot = process.getuid?.() === 0
let sb: Sandbox
let t: FileTree

// pinned: directories held by descriptor, the calls made on them through the C library (native) or through /proc; path: the checked-host-path fallback
describe.each(callModes())('pin=$pin native=$native', ({ pin, native }) => {
  beforeEach(() => {
    sb = sandbox()
    t = hostFileTree(sb.root, { readOnly: false, deviceNodes: isRoot, pin, native })
  })
  afterEach(() => sb.dispose())

  describe('contents', () => {
    it('writes bytes and streams, reads them back; truncate keeps the object, append keeps the bytes', async () => {
      await ok(t.writeFile('f', bytes('hello'), { mode: 0o600, mtimeMs: 1_000_000 }))
      const st = await ok(t.lstat('f'))
      expect(st).toMatchObject({
        type: 'F',
        mode: 0o600,
        size: 5,
        nlink: 1,
        mtimeMs: 1_000_000,
        ino: lstatSync(join(sb.root, 'f')).ino,
      })
      async function* chunks(): AsyncIterable<Uint8Array> {
        yield bytes('ab')
        yield bytes('c')
      }
      await ok(t.writeFile('f', chunks(), { flag: 'truncate' }))
      await ok(t.writeFile('f', bytes('d'), { flag: 'append' }))
      expect(await readAll(await ok(t.read('f')))).toBe('abcd')
      expect((await ok(t.lstat('f'))).ino).toBe(st.ino)
      expect((await ok(t.lstat('f'))).mode).toBe(0o600) // truncate without a mode keeps it
      await ok(t.writeFile('new', bytes('n'), { flag: 'truncate' })) // a missing file is created
      expect((await ok(t.lstat('new'))).mode).toBe(0o644)
    })

    it('reads a large file in chunks', async () => {
      const big = Buffer.alloc(3 * 65536 + 17, 7)
      await ok(t.writeFile('big', big))
      const parts: Uint8Array[] = []
      for await (const c of await ok(t.read('big'))) parts.push(c)
      expect(parts.length).toBeGreaterThan(1)
      expect(Buffer.concat(parts).equals(big)).toBe(true)
    })

    it('read of a directory is EISDIR, of a fifo EINVAL (and does not block); truncate of a fifo EINVAL', async () => {
      await ok(t.mkdir('d'))
      await ok(t.mknod('p', '|'))
      await failsIo(t.read('d'), 'EISDIR')
      await failsIo(t.read(''), 'EISDIR')
      await failsIo(t.read('p'), 'EINVAL')
      await failsIo(t.writeFile('p', bytes('x'), { flag: 'truncate' }), 'EINVAL')
    })

    it('mode keeps setuid/setgid/sticky bits, also after an owner change', async () => {
      await ok(t.writeFile('s', bytes('x'), { mode: 0o6755, uid: isRoot ? 7 : undefined }))
      expect((await ok(t.lstat('s'))).mode).toBe(0o6755)
      await ok(t.mkdir('d', { mode: 0o1777 }))
      expect((await ok(t.lstat('d'))).mode).toBe(0o1777)
      await ok(t.mkdir('z', { mode: 0 }))
      await ok(t.writeFile('z/child', bytes('x'))) // M6 (as root): a mode-0 directory still gets children
      expect((await ok(t.lstat('z'))).mode).toBe(0)
    })
  })

  describe('metadata', () => {
    // property: utimes then lstat gives back the same integer milliseconds, before and after 1970, on files and symlinks
    it('mtimeMs round-trips exactly', async () => {
      await ok(t.writeFile('f', bytes('x')))
      await ok(t.symlink('f', 'l'))
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: -2_000_000_000_000, max: 4_000_000_000_000 }),
          fc.constantFrom('f', 'l', ''),
          async (ms, p) => {
            await ok(t.utimes(p, ms))
            expect((await ok(t.lstat(p))).mtimeMs).toBe(ms)
          },
        ),
        { numRuns: 150 },
      )
    })

    it('chown changes owner and group of the entry (as root)', async () => {
      if (!isRoot) return
      await ok(t.writeFile('f', bytes('x'), { uid: 7, gid: 8 }))
      expect(await ok(t.lstat('f'))).toMatchObject({ uid: 7, gid: 8 })
      await ok(t.chown('f', 1000, 1001))
      expect(await ok(t.lstat('f'))).toMatchObject({ uid: 1000, gid: 1001 })
      await ok(t.mkdir('d', { uid: 5, gid: 6, mode: 0o750, mtimeMs: 5000 }))
      expect(await ok(t.lstat('d'))).toMatchObject({ uid: 5, gid: 6, mode: 0o750, mtimeMs: 5000 })
      await ok(t.symlink('f', 'l', { uid: 9, gid: 10, mtimeMs: 6000 }))
      expect(await ok(t.lstat('l'))).toMatchObject({ uid: 9, gid: 10, mtimeMs: 6000, size: 1 })
    })
  })

  describe('names', () => {
    it('readdir gives byte order without . and ..; readlink gives the target', async () => {
      for (const n of ['b', 'B', 'a-b', 'a', 'é', 'z']) await ok(t.mkdir(n))
      await ok(t.symlink('../nowhere', 'l'))
      expect(await ok(t.readdir(''))).toEqual(['B', 'a', 'a-b', 'b', 'l', 'z', 'é'])
      expect(await ok(t.readlink('l'))).toBe('../nowhere')
      expect(await ok(t.lstat('l'))).toMatchObject({ type: '@', size: 10 })
    })

    it('N10: names differing only by unicode normalization are two files', async () => {
      await ok(t.writeFile('\u00e9', bytes('1')))
      await ok(t.writeFile('e\u0301', bytes('2')))
      expect((await ok(t.readdir(''))).length).toBe(2)
    })

    it('hard links share the object and count names; a directory is EPERM; an existing name EEXIST', async () => {
      await ok(t.writeFile('f', bytes('x')))
      await ok(t.link('f', 'g'))
      const [a, b] = [await ok(t.lstat('f')), await ok(t.lstat('g'))]
      expect(a.ino).toBe(b.ino)
      expect(a.nlink).toBe(2)
      await ok(t.mkdir('d'))
      await failsIo(t.link('d', 'd2'), 'EPERM')
      await failsIo(t.link('', 'r'), 'EPERM')
      await failsIo(t.link('f', 'g'), 'EEXIST')
      await failsIo(t.link('nope', 'h'), 'ENOENT')
    })

    it('errno codes: ENOENT, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL', async () => {
      await ok(t.mkdir('d'))
      await ok(t.writeFile('d/f', bytes('x')))
      await failsIo(t.lstat('nope'), 'ENOENT')
      await failsIo(t.writeFile('nope/f', bytes('x')), 'ENOENT')
      await failsIo(t.mkdir('d'), 'EEXIST')
      await failsIo(t.mkdir(''), 'EEXIST')
      await failsIo(t.writeFile('d/f', bytes('x')), 'EEXIST')
      await failsIo(t.mkdir('d/f/g'), 'ENOTDIR')
      await failsIo(t.rmdir('d/f'), 'ENOTDIR')
      await failsIo(t.unlink('d'), 'EISDIR')
      await failsIo(t.unlink(''), 'EISDIR')
      await failsIo(t.writeFile('d', bytes('x'), { flag: 'truncate' }), 'EISDIR')
      await failsIo(t.writeFile('', bytes('x')), 'EEXIST') // O_CREAT|O_EXCL on an existing directory, as for 'd' (differential check)
      await failsIo(t.writeFile('', bytes('x'), { flag: 'truncate' }), 'EISDIR')
      await failsIo(t.rmdir('d'), 'ENOTEMPTY')
      await failsIo(t.rmdir(''), 'EINVAL')
      await failsIo(t.rename('d', 'd/e'), 'EINVAL')
      await failsIo(t.readlink('d/f'), 'EINVAL')
      await failsIo(t.readlink(''), 'EINVAL')
    })

    it('rename replaces a file and an empty directory, not a non-empty one', async () => {
      await ok(t.writeFile('a', bytes('a')))
      await ok(t.writeFile('b', bytes('b')))
      await ok(t.rename('a', 'b'))
      expect(await readAll(await ok(t.read('b')))).toBe('a')
      await ok(t.mkdir('d1'))
      await ok(t.mkdir('d2'))
      await ok(t.rename('d1', 'd2'))
      await ok(t.mkdir('d3'))
      await ok(t.writeFile('d2/x', bytes('x')))
      await failsIo(t.rename('d3', 'd2'), 'ENOTEMPTY')
      await failsIo(t.rename('b', 'd2'), 'EISDIR')
      await failsIo(t.rename('d3', 'b'), 'ENOTDIR')
    })

    it('the Io error names the tree path, not the host path', async () => {
      const r = await t.lstat('no/such')()
      expect(r._tag === 'Left' && r.left._tag === 'Io' && r.left.path).toBe('no/such')
    })
  })

  describe('special files and capabilities', () => {
    it('fifos and sockets are made without following the final component', async () => {
      await ok(t.mknod('p', '|', { mode: 0o640, mtimeMs: 3000 }))
      expect(await ok(t.lstat('p'))).toMatchObject({ type: '|', mode: 0o640, mtimeMs: 3000, size: 0, rdev: 0 })
      await ok(t.mkdir('d'))
      await ok(t.mknod(`d/${'s'.repeat(200)}`, '='))
      expect((await ok(t.lstat(`d/${'s'.repeat(200)}`))).type).toBe('=')
      expect(await ok(t.readdir('d'))).toEqual(['s'.repeat(200)]) // no temporary name left behind
      await failsIo(t.mknod('p', '='), 'EEXIST')
      await failsIo(t.mknod('nope/p', '|'), 'ENOENT')
    })

    it('device nodes with their rdev where enabled (root), else Unsupported', async () => {
      if (isRoot) {
        await ok(t.mknod('c', 'C', { rdev: 0x0103, mode: 0o666 }))
        expect(await ok(t.lstat('c'))).toMatchObject({ type: 'C', rdev: 0x0103, mode: 0o666 })
        expect(statSync(join(sb.root, 'c')).rdev).toBe(0x0103)
        await ok(t.mknod('b', 'B', { rdev: (8 << 8) | 1 }))
        expect(await ok(t.lstat('b'))).toMatchObject({ type: 'B', rdev: (8 << 8) | 1 })
      }
      const noDev = hostFileTree(sb.root, { readOnly: false, pin, native })
      await failsTag(noDev.mknod('c2', 'C', { rdev: 0x0103 }), 'Unsupported')
    })
  })
})
