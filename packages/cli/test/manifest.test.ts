// The tree comparison the demo and the interop tests rely on: equal trees compare equal, and each kind of difference is reported.
import { chmod, link, mkdir, symlink, utimes, writeFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { hostFileTree } from '@stratum/zfs-driver'
import { compareManifests, type Manifest, manifestOf } from '../src/tree/manifest.js'
import { tempDir } from './helpers.js'

const make = async (root: string): Promise<void> => {
  await mkdir(join(root, 'd'), { recursive: true })
  await writeFile(join(root, 'd/f'), 'content')
  await utimes(join(root, 'd/f'), 1_000_000, 1_000_000)
  await link(join(root, 'd/f'), join(root, 'd/g'))
  await symlink('f', join(root, 'd/l'))
}

const manifestAt = async (dir: string): Promise<Manifest> => {
  const m = await manifestOf(hostFileTree(dir, { readOnly: true }))()
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}

describe('compareManifests', () => {
  it('equal trees give no differences; each change is one line naming the path and the field', async () => {
    const dir = await tempDir()
    const [a, b] = [join(dir, 'a'), join(dir, 'b')]
    await make(a)
    await make(b)
    expect(compareManifests(await manifestAt(a), await manifestAt(b))).toEqual([])
    expect((await manifestAt(a)).get('d/f')).toMatchObject({
      type: 'F',
      links: ['d/g'],
      mtimeMs: 1_000_000_000,
      size: 7,
    })

    await chmod(join(b, 'd/f'), 0o600)
    await rm(join(b, 'd/l'))
    await symlink('g', join(b, 'd/l'))
    await rm(join(b, 'd/g'))
    await writeFile(join(b, 'd/g'), 'content')
    await utimes(join(b, 'd/g'), 2_000_000, 2_000_000)
    await writeFile(join(b, 'extra'), '')
    const diffs = compareManifests(await manifestAt(a), await manifestAt(b))
    expect(diffs).toEqual([
      'd/f: mode 420 != 384',
      'd/f: links ["d/g"] != []',
      'd/g: links ["d/f"] != []',
      'd/g: mtimeMs 1000000000 != 2000000000',
      'd/l: target "f" != "g"',
      'extra: only in the second tree',
    ])
  })
})
