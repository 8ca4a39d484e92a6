// `stratum save` writes a committed chain as an OCI image a fresh store reads back; `package -z gzip` compresses reproducibly.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { sha256 } from '@stratum/core'
import { buildTar } from '../src/demo/tar.js'
import { cliAt, jsonAt, jsonOn, simGlobals, tempDir, writeImage } from './helpers.js'

interface Saved {
  manifest: string
  top: string
  source: string
  base?: string
  layers: { digest: string; diffId: string; chainId: string }[]
}

/** A store with image base:1 and a container on it with one file added, committed; gives the committed chainID. */
const committedChain = async (dir: string): Promise<string> => {
  await writeImage(join(dir, 'base'), '1', [
    [
      { path: 'etc', type: 'dir' },
      { path: 'etc/os', body: 'base\n' },
    ],
  ])
  const json = jsonAt(dir)
  await json('extract', `${join(dir, 'base')}:1`, '--name', 'base:1')
  await json('start', 'web', 'base:1')
  await writeFile(join(dir, 'c.tar'), buildTar([{ path: 'app', body: 'hi\n' }]))
  await json('apply', 'web', join(dir, 'c.tar'))
  return (await json<{ chainId: string }>('commit', 'web')).chainId
}

describe('stratum save', () => {
  it('writes the chain as an image a fresh store extracts to the same chainIDs; twice gives the same digests', async () => {
    const dir = await tempDir()
    const chain = await committedChain(dir)
    const json = jsonAt(dir)
    const saved = await json<Saved>('save', chain, `${join(dir, 'out')}:v1`)
    expect(saved.layers).toHaveLength(2)
    expect(saved.base).toBe('base:1')
    expect(saved.source).toBe(chain)
    const again = await json<Saved>('save', chain, `${join(dir, 'again')}:v1`)
    expect(again.manifest).toBe(saved.manifest)
    expect(again.layers.map((l) => l.digest)).toEqual(saved.layers.map((l) => l.digest))
    const other = await tempDir()
    const back = await jsonOn(other, simGlobals(other))<{ layers: { chainId: string }[]; top: string }>(
      'extract',
      `${join(dir, 'out')}:v1`,
    )
    expect(back.layers.map((l) => l.chainId)).toEqual(saved.layers.map((l) => l.chainId))
    expect(back.top).toBe(saved.top)
  })

  it('the text names each blob, the manifest and the image; a digest as the tag is InvalidName; -z lz4 a usage error', async () => {
    const dir = await tempDir()
    const chain = await committedChain(dir)
    const r = await cliAt(dir)('save', chain, join(dir, 'out'))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64} chainid sha256:[0-9a-f]{64}\n/)
    expect(r.stdout).toContain(`image ${join(dir, 'out')}:latest\n`)
    const digest = await cliAt(dir)('save', chain, `${join(dir, 'out')}:sha256:${'a'.repeat(64)}`)
    expect(digest).toMatchObject({ code: 1 })
    expect(digest.stderr).toContain('InvalidName')
    expect((await cliAt(dir)('save', '-z', 'lz4', chain, join(dir, 'out'))).code).toBe(2)
  })
})

describe('stratum package -z gzip', () => {
  it('writes the same tar gzip-compressed, the same bytes each time; the report gives the diffID and the file digest', async () => {
    const dir = await tempDir()
    const chain = await committedChain(dir)
    const json = jsonAt(dir)
    const plain = await json<{ diffId: string }>('package', chain, '-o', join(dir, 'l.tar'))
    const gz = await json<{ diffId: string; digest: string; compression: string }>(
      'package',
      chain,
      '-z',
      'gzip',
      '-o',
      join(dir, 'l.tar.gz'),
    )
    const bytes = await readFile(join(dir, 'l.tar.gz'))
    expect(gz).toMatchObject({ diffId: plain.diffId, compression: 'gzip', digest: sha256(bytes) })
    expect(sha256(gunzipSync(bytes))).toBe(plain.diffId)
    await json('package', chain, '-z', 'gzip', '-o', join(dir, 'again.tar.gz'))
    expect(sha256(await readFile(join(dir, 'again.tar.gz')))).toBe(gz.digest)
  })
})
