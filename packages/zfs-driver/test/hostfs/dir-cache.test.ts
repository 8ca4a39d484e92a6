// The directories a host file tree keeps open between calls never show a stale answer for this tree's own changes, nor for another tree's over the same files.
import { lstatSync, mkdirSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { hostFileTree } from '../../src/index.js'
import * as E from 'fp-ts/lib/Either.js'
import { MAX_OPEN, releaseHostDescriptors } from '../../src/hostfs/dir-cache.js'
import { canPin } from '../../src/hostfs/resolve.js'
import { bytes, failsIo, ok, readAll, sandbox, type Sandbox } from './helpers.js'

let sb: Sandbox
let t: FileTree

describe.runIf(canPin())('kept directories', () => {
  beforeEach(() => {
    sb = sandbox()
    t = hostFileTree(sb.root, { readOnly: false })
  })
  afterEach(() => sb.dispose())

  it('a renamed directory is not found under its old name, and its contents are under the new one', async () => {
    await ok(t.mkdir('a'))
    await ok(t.mkdir('a/b'))
    await ok(t.writeFile('a/b/f', bytes('1')))
    await ok(t.rename('a', 'z'))
    await failsIo(t.lstat('a/b/f'), 'ENOENT')
    await failsIo(t.writeFile('a/b/g', bytes('2')), 'ENOENT')
    expect(await readAll(await ok(t.read('z/b/f')))).toBe('1')
  })

  it('a directory replaced by a file, or by a symlink, is walked as what it is now', async () => {
    await ok(t.mkdir('d'))
    await ok(t.writeFile('d/f', bytes('1')))
    await ok(t.unlink('d/f'))
    await ok(t.rmdir('d'))
    await ok(t.writeFile('d', bytes('file')))
    await failsIo(t.lstat('d/f'), 'ENOTDIR')
    await ok(t.unlink('d'))
    await ok(t.mkdir('elsewhere'))
    await ok(t.writeFile('elsewhere/f', bytes('there')))
    await ok(t.symlink('elsewhere', 'd'))
    expect(await readAll(await ok(t.read('d/f')))).toBe('there')
  })

  it("a directory's stat shows this tree's changes in it and to it", async () => {
    await ok(t.mkdir('d'))
    const before = await ok(t.lstat('d'))
    await ok(t.mkdir('d/sub'))
    const after = await ok(t.lstat('d'))
    expect(after.nlink).toBe(before.nlink + 1)
    await ok(t.utimes('d', 1_000_000))
    expect((await ok(t.lstat('d'))).mtimeMs).toBe(1_000_000)
    await ok(t.writeFile('d/f', bytes('1')))
    expect((await ok(t.lstat('d'))).mtimeMs).toBe(Math.floor(lstatSync(join(sb.root, 'd')).mtimeMs))
    await ok(t.chmod('d', 0o700))
    expect((await ok(t.lstat('d'))).mode).toBe(0o700)
    await ok(t.chmod('d/sub/..', 0o750))
    expect((await ok(t.lstat('d'))).mode).toBe(0o750)
  })

  it('changes made through another tree over the same directory, or one above it, are seen', async () => {
    const other = hostFileTree(sb.root, { readOnly: false })
    const above = hostFileTree(join(sb.root, '..'), { readOnly: false })
    await ok(t.mkdir('a'))
    await ok(t.writeFile('a/f', bytes('1')))
    expect((await ok(t.lstat('a'))).mode).toBe(0o755)
    await ok(other.chmod('a', 0o700))
    expect((await ok(t.lstat('a'))).mode).toBe(0o700)
    await ok(other.rename('a', 'b'))
    await failsIo(t.lstat('a/f'), 'ENOENT')
    await ok(above.rename('root/b', 'root/c'))
    await failsIo(t.lstat('b/f'), 'ENOENT')
    expect((await ok(t.lstat('c/f'))).type).toBe('F')
  })
})

describe.runIf(canPin())('the descriptors kept, all trees together', () => {
  it('stay within MAX_OPEN however many trees walk, with no idle moment to release them', async () => {
    const sb = sandbox()
    try {
      // five trees of 0.3 MAX_OPEN directories each: more than MAX_OPEN together
      const dirs = Math.ceil(MAX_OPEN * 0.3)
      for (let i = 0; i < dirs; i++) mkdirSync(join(sb.root, `d${i}`))
      const before = readdirSync('/proc/self/fd').length
      let most = 0
      // each tree walks into every directory, synchronously: the idle release never runs in between
      for (let k = 0; k < 5; k++) {
        const tree = hostFileTree(sb.root, { readOnly: false })
        for (let i = 0; i < dirs; i++) expect(E.isRight(tree.now!.lstat(`d${i}/..`))).toBe(true)
        most = Math.max(most, readdirSync('/proc/self/fd').length - before)
      }
      expect(most).toBeGreaterThan(dirs)
      expect(most).toBeLessThanOrEqual(MAX_OPEN + 2)
    } finally {
      releaseHostDescriptors()
      sb.dispose()
    }
  })
})
