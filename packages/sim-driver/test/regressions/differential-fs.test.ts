// Divergences of the simulator's file trees from Linux/OpenZFS found by the differential check
// (packages/conformance/src/differential), each kept as its minimal sequence.
import { beforeEach, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { createSimDriver } from '../../src/index.js'
import { bad, bytes, ds, ok } from '../helpers.js'

let t: FileTree
beforeEach(async () => {
  const d = createSimDriver()
  await ok(d.create(ds('testpool/w')))
  t = await ok(d.fs(ds('testpool/w')))
  await ok(t.writeFile('f', bytes('hello')))
})

const code = async (te: Parameters<typeof bad>[0]): Promise<string> => {
  const e = await bad(te)
  return e._tag === 'Io' ? e.code : e._tag
}

it("rename: the target's walk fails before the missing source is looked up (renameat(2): ENOTDIR, not ENOENT)", async () => {
  expect(await code(t.rename('missing', 'f/x'))).toBe('ENOTDIR')
  expect(await code(t.rename('', 'f/x'))).toBe('ENOTDIR')
  expect(await code(t.rename('missing', 'x'))).toBe('ENOENT')
})

it('appending nothing changes nothing: the explicit mtime stays (zfs_write returns early for an empty write)', async () => {
  await ok(t.utimes('f', 1_000_000_000_000))
  await ok(t.writeFile('f', bytes(''), { flag: 'append' }))
  expect((await ok(t.lstat('f'))).mtimeMs).toBe(1_000_000_000_000)
  await ok(t.writeFile('f', bytes('!'), { flag: 'append' }))
  expect((await ok(t.lstat('f'))).mtimeMs).not.toBe(1_000_000_000_000)
})

it("a new entry in a setgid directory takes the directory's group unless one is given", async () => {
  await ok(t.chown('', 0, 1))
  await ok(t.chmod('', 0o2755))
  await ok(t.writeFile('a', bytes('')))
  await ok(t.mkdir('b'))
  await ok(t.symlink('a', 'c'))
  await ok(t.writeFile('d', bytes(''), { gid: 6 }))
  expect([
    (await ok(t.lstat('a'))).gid,
    (await ok(t.lstat('b'))).gid,
    (await ok(t.lstat('c'))).gid,
    (await ok(t.lstat('d'))).gid,
  ]).toEqual([1, 1, 1, 6])
})

it('chown of a file clears setuid, and setgid with group-execute, also as root and to the same owner; not on directories', async () => {
  await ok(t.chmod('f', 0o4755))
  await ok(t.chown('f', 0, 0))
  expect((await ok(t.lstat('f'))).mode).toBe(0o755)
  await ok(t.chmod('f', 0o6755))
  await ok(t.chown('f', 0, 1))
  expect((await ok(t.lstat('f'))).mode).toBe(0o755)
  await ok(t.chmod('f', 0o2745))
  await ok(t.chown('f', 0, 1))
  expect((await ok(t.lstat('f'))).mode).toBe(0o2745)
  await ok(t.mkdir('d', { mode: 0o6755 }))
  await ok(t.chown('d', 0, 1))
  expect((await ok(t.lstat('d'))).mode).toBe(0o6755)
})
