// Interop of the zstd writer: images `stratum save -z zstd` writes are read by `zstd -d` and skopeo and extract to their chainIDs; `package -z zstd` decodes to the package tar.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { layerBlob, MEDIA_LAYER_ZSTD, sha256, writeImageLayout } from '@stratum/core'
import { DEMO_LAYERS } from '../src/demo/image.js'
import { buildTar } from '../src/demo/tar.js'
import { jsonAt } from './helpers.js'
import { hasTool, sh } from './interop-tools.js'

const tools = { skopeo: await hasTool('skopeo'), zstd: await hasTool('zstd') }
const missing = Object.entries(tools).filter(([, ok]) => !ok)

interface Saved {
  manifest: string
  top: string
  layers: { digest: string; diffId: string; chainId: string }[]
}

let work = ''
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stratum-interop-zstd-'))
  const w = await writeImageLayout(
    join(work, 'demo'),
    'v1',
    DEMO_LAYERS.map((l) => layerBlob(buildTar(l))),
    {
      os: 'linux',
      architecture: 'amd64',
    },
  )()
  if (E.isLeft(w)) throw new Error(JSON.stringify(w.left))
})
afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true })
})

const fresh = async (name: string): Promise<ReturnType<typeof jsonAt>> => {
  const d = join(work, name)
  await mkdir(d)
  return jsonAt(d)
}

const unzstdTool = (bytes: Buffer): Buffer => execFileSync('zstd', ['-d', '-c'], { input: bytes, maxBuffer: 1 << 28 })

describe('the zstd writer with zstd and skopeo', () => {
  it('the tools are installed (a missing one fails this file, never skips it)', () => {
    expect(
      missing.map(([t]) => t),
      'apt-get install -y skopeo zstd',
    ).toEqual([])
  })

  it('save -z zstd: the same digests twice, zstd -d reads each blob to its diffID, skopeo copies and recompresses it, fresh stores extract its chainIDs', async () => {
    const json = await fresh('store')
    await json('extract', `${join(work, 'demo')}:v1`, '--name', 'demo:v1')
    const out = join(work, 'out')
    const saved = await json<Saved>('save', 'demo:v1', `${out}:z`, '-z', 'zstd')
    const again = await json<Saved>('save', 'demo:v1', `${join(work, 'again')}:z`, '-z', 'zstd')
    expect(again.manifest).toBe(saved.manifest)
    const manifest = await sh(work, 'skopeo', 'inspect', '--raw', `oci:${out}:z`)
    expect(JSON.parse(manifest).layers.map((l: { mediaType: string }) => l.mediaType)).toEqual(
      saved.layers.map(() => MEDIA_LAYER_ZSTD),
    )
    for (const l of saved.layers) {
      const blob = await readFile(join(out, 'blobs', 'sha256', l.digest.slice(7)))
      expect(sha256(unzstdTool(blob))).toBe(l.diffId)
    }
    await sh(work, 'skopeo', 'copy', `oci:${out}:z`, `oci:${join(work, 'copied')}:z`)
    const back = await (await fresh('back'))<{ layers: { chainId: string }[]; top: string }>(
      'extract',
      `${join(work, 'copied')}:z`,
    )
    expect(back.layers.map((l) => l.chainId)).toEqual(saved.layers.map((l) => l.chainId))
    expect(back.top).toBe(saved.top)
    // skopeo decompresses our zstd to recompress it with gzip: the layers keep their chainIDs
    const gz = join(work, 'regz')
    await sh(work, 'skopeo', 'copy', '--dest-compress-format', 'gzip', `oci:${out}:z`, `oci:${gz}:z`)
    expect(await sh(work, 'skopeo', 'inspect', '--raw', `oci:${gz}:z`)).toContain('tar+gzip')
    const fromGz = await (await fresh('back-gz'))<{ top: string }>('extract', `${gz}:z`)
    expect(fromGz.top).toBe(saved.top)
  })

  it('package -z zstd: zstd -d gives the package tar, the same bytes each time', async () => {
    const json = await fresh('pkg')
    await json('extract', `${join(work, 'demo')}:v1`, '--name', 'demo:v1')
    const plain = await json<{ diffId: string }>('package', 'demo:v1', '-o', join(work, 'l.tar'))
    const z = await json<{ diffId: string; digest: string; compression: string }>(
      'package',
      'demo:v1',
      '-z',
      'zstd',
      '-o',
      join(work, 'l.tar.zst'),
    )
    const bytes = await readFile(join(work, 'l.tar.zst'))
    expect(z).toMatchObject({ diffId: plain.diffId, compression: 'zstd', digest: sha256(bytes) })
    expect(unzstdTool(bytes).equals(await readFile(join(work, 'l.tar')))).toBe(true)
    await json('package', 'demo:v1', '-z', 'zstd', '-o', join(work, 'again.tar.zst'))
    expect(sha256(await readFile(join(work, 'again.tar.zst')))).toBe(z.digest)
  })
})
