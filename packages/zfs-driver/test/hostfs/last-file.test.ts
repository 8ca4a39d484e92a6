// read right after lstat of the same file skips a second lstat; any change since makes it look again.
import { renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { hostFileTree } from '../../src/index.js'
import { bytes, failsIo, ok, readAll, sandbox, type Sandbox, callModes } from './helpers.js'

let box: Sandbox
let tree: FileTree

describe.each(callModes())('pin=$pin native=$native', ({ pin, native }) => {
  beforeEach(() => {
    box = sandbox()
    tree = hostFileTree(box.root, { readOnly: false, pin, native })
    writeFileSync(join(box.root, 'f'), 'first')
    writeFileSync(join(box.root, 'g'), 'second')
  })
  afterEach(() => box.dispose())

  it('a file this tree renames over the one lstat saw is read, not refused', async () => {
    await ok(tree.lstat('f'))
    await ok(tree.rename('g', 'f'))
    expect(await readAll(await ok(tree.read('f')))).toBe('second')
  })

  it('a file another tree over the same directory replaced is read, not refused', async () => {
    const other = hostFileTree(box.root, { readOnly: false, pin, native })
    await ok(tree.lstat('f'))
    await ok(other.unlink('f'))
    await ok(other.writeFile('f', bytes('third')))
    expect(await readAll(await ok(tree.read('f')))).toBe('third')
  })

  it('a file this tree removed after lstat is ENOENT at read', async () => {
    await ok(tree.lstat('f'))
    await ok(tree.unlink('f'))
    await failsIo(tree.read('f'), 'ENOENT')
  })

  it('another process replacing it between lstat and read: pinned, the open is refused; unpinned, read looks again', async () => {
    await ok(tree.lstat('f'))
    renameSync(join(box.root, 'f'), join(box.root, 'kept')) // kept: its inode number is not reused
    writeFileSync(join(box.root, 'f'), 'intruder')
    const r = await tree.read('f')()
    const got = r._tag === 'Left' ? r.left : await readAll(r.right).catch((e: unknown) => e)
    expect(got).toEqual(pin ? expect.objectContaining({ code: 'EIO' }) : 'intruder')
  })
})
