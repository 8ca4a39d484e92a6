import { beforeEach, describe, expect, it } from 'vitest'
import { nameFromBytes, type FileTree } from '@stratum/core'
import { createSimDriver, type SimDriver } from '../src/index.js'
import { bad, bytes, ds, ok, sn, text } from './helpers.js'

let d: SimDriver
let t: FileTree
beforeEach(async () => {
  d = createSimDriver()
  await ok(d.create(ds('testpool/a')))
  t = await ok(d.fs(ds('testpool/a')))
})

const code = async (te: Parameters<typeof bad>[0]): Promise<string> => {
  const e = await bad(te)
  return e._tag === 'Io' ? e.code : e._tag
}

describe('byte names', () => {
  it("readdir sorts by the names' bytes, escaped bytes (names that are not UTF-8) included", async () => {
    const ff = nameFromBytes(Uint8Array.from([0xff])) // the byte 0xff sorts after U+10000 (f0 90 80 80)
    for (const n of [ff, '\u{10000}', 'a']) await ok(t.writeFile(n, bytes('')))
    expect(await ok(t.readdir(''))).toEqual(['a', '\u{10000}', ff])
  })
})

describe('files', () => {
  it('writes, reads and stats a file with the requested metadata', async () => {
    await ok(t.writeFile('f', bytes('hello'), { mode: 0o4755, uid: 7, gid: 8, mtimeMs: 1234 }))
    expect(await text(await ok(t.read('f')))).toBe('hello')
    const st = await ok(t.lstat('/f'))
    expect(st).toMatchObject({ type: 'F', mode: 0o4755, uid: 7, gid: 8, size: 5, mtimeMs: 1234, nlink: 1 })
  })

  it('takes content from an async stream', async () => {
    async function* gen() {
      yield bytes('ab')
      yield bytes('cd')
    }
    await ok(t.writeFile('s', gen()))
    expect(await text(await ok(t.read('s')))).toBe('abcd')
  })

  it('create flag refuses an existing name; truncate and append keep the object', async () => {
    await ok(t.writeFile('f', bytes('one')))
    const ino = (await ok(t.lstat('f'))).ino
    expect(await code(t.writeFile('f', bytes('x')))).toBe('EEXIST')
    await ok(t.writeFile('f', bytes('two'), { flag: 'truncate' }))
    await ok(t.writeFile('f', bytes('+3'), { flag: 'append' }))
    expect(await text(await ok(t.read('f')))).toBe('two+3')
    expect((await ok(t.lstat('f'))).ino).toBe(ino)
    await ok(t.writeFile('new', bytes('n'), { flag: 'append' }))
    expect(await text(await ok(t.read('new')))).toBe('n')
  })

  it('truncate on a directory is EISDIR and on a symlink ELOOP (never followed)', async () => {
    await ok(t.mkdir('dir'))
    await ok(t.writeFile('target', bytes('keep')))
    await ok(t.symlink('target', 'link'))
    expect(await code(t.writeFile('dir', bytes('x'), { flag: 'truncate' }))).toBe('EISDIR')
    expect(await code(t.writeFile('link', bytes('x'), { flag: 'truncate' }))).toBe('ELOOP')
    expect(await text(await ok(t.read('target')))).toBe('keep')
  })

  it('the caller may reuse its buffer after a write; reads hand out copies', async () => {
    const buf = bytes('abc')
    await ok(t.writeFile('f', buf))
    buf[0] = 0x7a
    for await (const c of await ok(t.read('f'))) c[1] = 0x7a
    expect(await text(await ok(t.read('f')))).toBe('abc')
  })

  it('read: EISDIR for a directory, ELOOP for a symlink, EINVAL for a fifo, ENOENT when missing', async () => {
    await ok(t.mkdir('d'))
    await ok(t.symlink('d', 'l'))
    await ok(t.mknod('p', '|'))
    expect(await code(t.read('d'))).toBe('EISDIR')
    expect(await code(t.read('l'))).toBe('ELOOP')
    expect(await code(t.read('p'))).toBe('EINVAL')
    expect(await code(t.read('nope'))).toBe('ENOENT')
  })
})

describe('directories', () => {
  it('readdir is sorted by byte order and counts subdirectories in nlink', async () => {
    await ok(t.mkdir('d'))
    for (const n of ['b', 'B', 'a', '\u00e9', 'a-b', `${'a/'.slice(0, 1)}z`])
      await ok(t.writeFile(`d/${n.replace('/', '')}`, bytes('')))
    await ok(t.mkdir('d/sub1'))
    await ok(t.mkdir('d/sub2'))
    expect(await ok(t.readdir('d'))).toEqual(['B', 'a', 'a-b', 'az', 'b', 'sub1', 'sub2', '\u00e9'])
    expect((await ok(t.lstat('d'))).nlink).toBe(4)
    await ok(t.rmdir('d/sub1'))
    expect((await ok(t.lstat('d'))).nlink).toBe(3)
  })

  it('mkdir: EEXIST, ENOENT for a missing parent, ENOTDIR under a file', async () => {
    await ok(t.mkdir('d', { mode: 0o700 }))
    expect((await ok(t.lstat('d'))).mode).toBe(0o700)
    expect(await code(t.mkdir('d'))).toBe('EEXIST')
    expect(await code(t.mkdir('/'))).toBe('EEXIST')
    expect(await code(t.mkdir('x/y'))).toBe('ENOENT')
    await ok(t.writeFile('f', bytes('')))
    expect(await code(t.mkdir('f/y'))).toBe('ENOTDIR')
    expect(await code(t.readdir('f'))).toBe('ENOTDIR')
  })

  it('rmdir: ENOTEMPTY, ENOTDIR; unlink: EISDIR', async () => {
    await ok(t.mkdir('d'))
    await ok(t.writeFile('d/f', bytes('')))
    expect(await code(t.rmdir('d'))).toBe('ENOTEMPTY')
    expect(await code(t.rmdir('d/f'))).toBe('ENOTDIR')
    expect(await code(t.unlink('d'))).toBe('EISDIR')
    await ok(t.unlink('d/f'))
    await ok(t.rmdir('d'))
    expect(await code(t.lstat('d'))).toBe('ENOENT')
  })
})

describe('links', () => {
  it('hard links share the object and count links; a directory is EPERM', async () => {
    await ok(t.writeFile('f', bytes('x')))
    await ok(t.link('f', 'g'))
    const [a, b] = [await ok(t.lstat('f')), await ok(t.lstat('g'))]
    expect(a.ino).toBe(b.ino)
    expect(a.nlink).toBe(2)
    await ok(t.unlink('f'))
    expect((await ok(t.lstat('g'))).nlink).toBe(1)
    await ok(t.mkdir('d'))
    expect(await code(t.link('d', 'd2'))).toBe('EPERM')
    expect(await code(t.link('g', 'd'))).toBe('EEXIST')
    // linkat(2) looks the new name up before it refuses a directory
    expect(await code(t.link('d', 'g'))).toBe('EEXIST')
    expect(await code(t.link('d', 'nope/x'))).toBe('ENOENT')
    expect(await code(t.link('nope', 'g'))).toBe('ENOENT')
  })

  it('linking a symlink links the symlink itself', async () => {
    await ok(t.writeFile('f', bytes('x')))
    await ok(t.symlink('f', 'l'))
    await ok(t.link('l', 'l2'))
    expect((await ok(t.lstat('l2'))).type).toBe('@')
    expect(await ok(t.readlink('l2'))).toBe('f')
  })

  it('symlink size is the target length; readlink of a file is EINVAL', async () => {
    await ok(t.symlink('/some/where', 'l', { uid: 3 }))
    expect(await ok(t.lstat('l'))).toMatchObject({ type: '@', size: 11, mode: 0o777, uid: 3 })
    await ok(t.writeFile('f', bytes('')))
    expect(await code(t.readlink('f'))).toBe('EINVAL')
  })
})

describe('confinement', () => {
  beforeEach(async () => {
    await ok(t.mkdir('etc'))
    await ok(t.writeFile('etc/passwd', bytes('inside')))
  })

  it('an absolute symlink in the middle restarts at the root', async () => {
    await ok(t.mkdir('x'))
    await ok(t.symlink('/etc', 'x/abs'))
    expect(await text(await ok(t.read('x/abs/passwd')))).toBe('inside')
  })

  it('.. never climbs above the root, in paths and in symlink targets', async () => {
    expect(await text(await ok(t.read('../../etc/passwd')))).toBe('inside')
    await ok(t.symlink('../../../../etc', 'up'))
    expect(await text(await ok(t.read('up/passwd')))).toBe('inside')
    await ok(t.writeFile('up/new', bytes('n')))
    expect(await ok(t.readdir('etc'))).toEqual(['new', 'passwd'])
  })

  it('the final component is never followed', async () => {
    await ok(t.symlink('/etc/passwd', 'lp'))
    await ok(t.chmod('lp', 0o600))
    expect((await ok(t.lstat('etc/passwd'))).mode).toBe(0o644)
    await ok(t.unlink('lp'))
    expect(await text(await ok(t.read('etc/passwd')))).toBe('inside')
    await ok(t.symlink('etc', 'le'))
    expect(await code(t.readdir('le'))).toBe('ENOTDIR')
    expect(await text(await ok(t.read('le/passwd')))).toBe('inside')
  })

  it('symlink loops are ELOOP; a dangling or empty middle link is ENOENT', async () => {
    await ok(t.symlink('b', 'a'))
    await ok(t.symlink('a', 'b'))
    expect(await code(t.lstat('a/x'))).toBe('ELOOP')
    await ok(t.symlink('nowhere', 'dang'))
    expect(await code(t.lstat('dang/x'))).toBe('ENOENT')
    await ok(t.symlink('', 'empty'))
    expect(await code(t.lstat('empty/x'))).toBe('ENOENT')
  })

  it('40 chained symlinks resolve, 41 are ELOOP', async () => {
    await ok(t.symlink('etc', 'l0'))
    for (let i = 1; i <= 40; i++) await ok(t.symlink(`l${i - 1}`, `l${i}`))
    expect(await text(await ok(t.read('l39/passwd')))).toBe('inside')
    expect(await code(t.read('l40/passwd'))).toBe('ELOOP')
  })

  it('a NUL byte in a path or a symlink target is EINVAL', async () => {
    expect(await code(t.writeFile('a\0b', bytes('')))).toBe('EINVAL')
    expect(await code(t.lstat('etc\0/passwd'))).toBe('EINVAL')
    expect(await code(t.symlink('x\0y', 'l'))).toBe('EINVAL')
    expect(await ok(t.readdir('/'))).toEqual(['etc'])
  })

  it('a file in the middle of a path is ENOTDIR', async () => {
    expect(await code(t.lstat('etc/passwd/x'))).toBe('ENOTDIR')
    expect(await code(t.lstat('etc/passwd/..'))).toBe('ENOTDIR')
  })
})

describe('rename', () => {
  it('moves an entry keeping its object; replaces a file', async () => {
    await ok(t.writeFile('a', bytes('A')))
    await ok(t.writeFile('b', bytes('B')))
    const ino = (await ok(t.lstat('a'))).ino
    await ok(t.rename('a', 'b'))
    expect((await ok(t.lstat('b'))).ino).toBe(ino)
    expect(await text(await ok(t.read('b')))).toBe('A')
    expect(await code(t.lstat('a'))).toBe('ENOENT')
  })

  it('follows rename(2) for directories', async () => {
    await ok(t.mkdir('d'))
    await ok(t.mkdir('d/sub'))
    await ok(t.mkdir('e'))
    await ok(t.writeFile('f', bytes('')))
    expect(await code(t.rename('d', 'd/sub/x'))).toBe('EINVAL')
    await ok(t.rename('d', 'd'))
    expect(await code(t.rename('d', 'f'))).toBe('ENOTDIR')
    expect(await code(t.rename('f', 'e'))).toBe('EISDIR')
    expect(await code(t.rename('e', 'd'))).toBe('ENOTEMPTY')
    expect(await code(t.rename('missing', 'z'))).toBe('ENOENT')
    // onto an ancestor of the source: ENOTEMPTY before any type check, as rename(2)
    await ok(t.writeFile('d/sub/file', bytes('')))
    expect(await code(t.rename('d/sub/file', 'd'))).toBe('ENOTEMPTY')
    expect(await code(t.rename('d/sub', 'd'))).toBe('ENOTEMPTY')
    await ok(t.unlink('d/sub/file'))
    await ok(t.rename('d/sub', 'e'))
    expect(await ok(t.readdir('/'))).toEqual(['d', 'e', 'f'])
    expect((await ok(t.lstat('d'))).nlink).toBe(2)
    await ok(t.rename('e', 'd/moved'))
    expect((await ok(t.lstat('d'))).nlink).toBe(3)
    expect((await ok(t.lstat('/'))).nlink).toBe(3)
  })

  it('renaming one hard link onto another name of the same object does nothing', async () => {
    await ok(t.writeFile('f', bytes('')))
    await ok(t.link('f', 'g'))
    await ok(t.rename('f', 'g'))
    expect(await ok(t.readdir('/'))).toEqual(['f', 'g'])
  })
})

describe('attributes', () => {
  it('chmod, chown and utimes set exactly what is asked', async () => {
    await ok(t.writeFile('f', bytes('')))
    // chown first: a chown clears setuid/setgid (Linux), see test/regressions/differential-fs.test.ts
    await ok(t.chown('f', 1000, 1001))
    await ok(t.chmod('f', 0o107777))
    await ok(t.utimes('f', 42))
    expect(await ok(t.lstat('f'))).toMatchObject({ mode: 0o7777, uid: 1000, gid: 1001, mtimeMs: 42 })
    expect(await code(t.chmod('nope', 0))).toBe('ENOENT')
  })

  it('xattrs: set, list sorted, get, remove; ENODATA when missing', async () => {
    await ok(t.writeFile('f', bytes('')))
    await ok(t.setXattr('f', 'user.b', bytes('2')))
    await ok(t.setXattr('f', 'user.a', bytes('1')))
    expect(await ok(t.listXattrs('f'))).toEqual(['user.a', 'user.b'])
    expect(Buffer.from(await ok(t.getXattr('f', 'user.b'))).toString()).toBe('2')
    await ok(t.removeXattr('f', 'user.b'))
    expect(await code(t.getXattr('f', 'user.b'))).toBe('ENODATA')
    expect(await code(t.removeXattr('f', 'user.b'))).toBe('ENODATA')
  })

  it('device nodes keep their type and rdev', async () => {
    await ok(t.mknod('null', 'C', { rdev: 259, mode: 0o666 }))
    await ok(t.mknod('sock', '='))
    expect(await ok(t.lstat('null'))).toMatchObject({ type: 'C', rdev: 259, mode: 0o666 })
    expect((await ok(t.lstat('sock'))).type).toBe('=')
  })
})

describe('snapshot trees', () => {
  it('are read-only (EROFS) and keep the contents at snapshot time', async () => {
    await ok(t.writeFile('f', bytes('v1')))
    await ok(d.snapshot(sn('testpool/a@s')))
    await ok(t.writeFile('f', bytes('v2'), { flag: 'truncate' }))
    const s = await ok(d.fs(sn('testpool/a@s')))
    expect(s.readOnly).toBe(true)
    expect(await text(await ok(s.read('f')))).toBe('v1')
    expect(await code(s.writeFile('g', bytes('')))).toBe('EROFS')
    expect(await code(s.mkdir('g'))).toBe('EROFS')
    expect(await code(s.unlink('f'))).toBe('EROFS')
    expect(await code(s.setXattr('f', 'user.x', bytes('')))).toBe('EROFS')
  })

  it('a clone starts with the snapshot files and the same object numbers', async () => {
    await ok(t.writeFile('f', bytes('v1')))
    await ok(d.snapshot(sn('testpool/a@s')))
    await ok(d.clone(sn('testpool/a@s'), ds('testpool/c')))
    const c = await ok(d.fs(ds('testpool/c')))
    expect((await ok(c.lstat('f'))).ino).toBe((await ok(t.lstat('f'))).ino)
    await ok(c.writeFile('f', bytes('clone'), { flag: 'truncate' }))
    expect(await text(await ok(t.read('f')))).toBe('v1')
  })

  it('a tree of a destroyed dataset fails with DatasetNotFound', async () => {
    await ok(d.destroy(ds('testpool/a')))
    expect((await bad(t.lstat('/')))._tag).toBe('DatasetNotFound')
  })

  it('concurrent writes are all kept', async () => {
    await Promise.all(Array.from({ length: 20 }, (_, i) => ok(t.writeFile(`f${i}`, bytes(String(i))))))
    expect((await ok(t.readdir('/'))).length).toBe(20)
  })
})
