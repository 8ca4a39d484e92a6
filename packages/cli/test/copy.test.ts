// A cancelled copy stops before its next entry with Cancelled, and emptied() removes what it wrote.
import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { err } from '@stratum/core'
import { hostFileTree } from '@stratum/zfs-driver'
import { describe, expect, it } from 'vitest'
import { copyTree, emptied } from '../src/tree/copy.js'
import { tempDir } from './helpers.js'

describe('copyTree with a signal', () => {
  it('stops at the entry after the abort, and the target is emptied again', async () => {
    const dir = await tempDir()
    const [src, dst] = [join(dir, 'src'), join(dir, 'dst')]
    await mkdir(join(src, 'd'), { recursive: true })
    for (const i of [1, 2, 3, 4, 5, 6]) await writeFile(join(src, 'd', `f${i}`), `${i}`)
    await mkdir(dst)
    const ac = new AbortController()
    let copied = 0
    const r = await copyTree(hostFileTree(src, { readOnly: true }), hostFileTree(dst, { readOnly: false }), {
      owners: false,
      onEntry: () => {
        if (++copied === 3) ac.abort()
      },
      cancel: { signal: ac.signal, what: 'export of src' },
    })()
    expect(r).toEqual({ _tag: 'Left', left: { _tag: 'Cancelled', what: 'export of src' } })
    expect(copied).toBe(3)
    expect((await readdir(join(dst, 'd'))).length).toBe(2)
    const e = await emptied(dst, { _tag: 'Cancelled', what: 'export of src' })()
    expect(e).toEqual({ _tag: 'Left', left: err('Cancelled', { what: 'export of src' }) })
    expect(await readdir(dst)).toEqual([])
  })
})
