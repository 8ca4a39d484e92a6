// A file read from one hostFileTree and written into another (export's copy) goes descriptor to descriptor: same bytes, same confinement.
import { randomBytes } from 'node:crypto'
import { lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { copyTree } from '../../../core/src/store/copy-tree.js'
import { steps } from '../../../core/src/store/steps.js'
import { hostFileTree } from '../../src/index.js'
import { bytes, failsIo, ok, readAll, sandbox, type Sandbox, callModes } from './helpers.js'

let from: Sandbox
let to: Sandbox
let src: FileTree
let dst: FileTree

describe.each(callModes())('pin=$pin native=$native', ({ pin, native }) => {
  beforeEach(() => {
    from = sandbox()
    to = sandbox()
    src = hostFileTree(from.root, { readOnly: true, pin, native })
    dst = hostFileTree(to.root, { readOnly: false, pin, native })
  })
  afterEach(() => {
    from.dispose()
    to.dispose()
  })

  it('copies every size byte for byte, larger than the copy buffer too, with the mode and time asked', async () => {
    for (const size of [0, 1, 4096, (1 << 20) + 3, 3 * (1 << 20)]) {
      const data = randomBytes(size)
      writeFileSync(join(from.root, `f${size}`), data)
      await ok(dst.writeFile(`f${size}`, await ok(src.read(`f${size}`)), { mode: 0o640, mtimeMs: 1_000_000 }))
      expect(readFileSync(join(to.root, `f${size}`)).equals(data)).toBe(true)
      expect(await ok(dst.lstat(`f${size}`))).toMatchObject({ size, mode: 0o640, mtimeMs: 1_000_000 })
    }
  })

  it("export's copy of a tree (lstat and mkdir made now): every entry with its mode and time; one in the target's way stops it there", async () => {
    mkdirSync(join(from.root, 'd/e'), { recursive: true, mode: 0o750 })
    writeFileSync(join(from.root, 'd/e/f'), 'file', { mode: 0o604 })
    symlinkSync('e/f', join(from.root, 'd/l'))
    utimesSync(join(from.root, 'd'), 1000, 1000)
    const copy = (into: FileTree) => steps(() => copyTree(src, into, { owners: false, onEntry: () => undefined }))
    expect(await ok(copy(dst))).toEqual({ entries: 4, bytes: 4 })
    expect(readFileSync(join(to.root, 'd/l'), 'utf8')).toBe('file')
    expect(lstatSync(join(to.root, 'd/e/f')).mode & 0o7777).toBe(0o604)
    expect(lstatSync(join(to.root, 'd')).mtimeMs).toBe(1_000_000)
    const again = sandbox()
    try {
      mkdirSync(join(again.root, 'd'))
      expect(await copy(hostFileTree(again.root, { readOnly: false, pin, native }))()).toMatchObject({
        _tag: 'Left',
        left: { _tag: 'Io', code: 'EEXIST', path: 'd' },
      })
    } finally {
      again.dispose()
    }
  })

  it('truncate and append onto an existing file', async () => {
    writeFileSync(join(from.root, 's'), 'source')
    await ok(dst.writeFile('t', bytes('a much longer old content')))
    await ok(dst.writeFile('t', await ok(src.read('s')), { flag: 'truncate' }))
    await ok(dst.writeFile('t', await ok(src.read('s')), { flag: 'append' }))
    expect(readFileSync(join(to.root, 't'), 'utf8')).toBe('sourcesource')
  })

  it('a source swapped for a symlink after read looked at it is refused, nothing of the target copied', async () => {
    writeFileSync(join(from.root, 's'), 'source')
    const stream = await ok(src.read('s'))
    rmSync(join(from.root, 's'))
    symlinkSync(join(from.outside, 'secret'), join(from.root, 's'))
    await failsIo(dst.writeFile('t', stream), 'ELOOP')
    expect(readFileSync(join(to.root, 't'), 'utf8')).toBe('')
  })

  it('a source replaced by another file after read looked at it is refused', async () => {
    writeFileSync(join(from.root, 's'), 'source')
    const stream = await ok(src.read('s'))
    renameSync(join(from.root, 's'), join(from.root, 'kept')) // kept: its inode number is not reused
    writeFileSync(join(from.root, 's'), 'other')
    await failsIo(dst.writeFile('t', stream), 'EIO')
  })

  it('a source whose directory the tree renamed after read: opened by a fresh walk of its path (the closed directory never used)', async () => {
    const tree = hostFileTree(from.root, { readOnly: false, pin, native })
    await ok(dst.lstat('')) // the target's root already pinned: a descriptor closed now is reused by the next open
    await ok(tree.mkdir('d'))
    await ok(tree.writeFile('d/s', bytes('source')))
    const moved = await ok(tree.read('d/s'))
    await ok(tree.rename('d', 'e'))
    await failsIo(dst.writeFile('t', moved), 'ENOENT')
    const replaced = await ok(tree.read('e/s'))
    await ok(tree.rename('e', 'd'))
    await ok(tree.mkdir('e'))
    await ok(tree.writeFile('e/s', bytes('other')))
    await failsIo(dst.writeFile('u', replaced), 'EIO')
    expect(await readAll(await ok(tree.read('d/s')))).toBe('source')
  })
})
