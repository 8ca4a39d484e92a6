// Interop of the image formats with skopeo and umoci: docker archives and zstd layouts skopeo writes extract to the chainIDs of their OCI source; images `stratum save` writes are copied by skopeo and unpacked by umoci to the tree stratum exports.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { layerBlob, writeImageLayout } from '@stratum/core'
import { hostFileTree } from '@stratum/zfs-driver'
import { DEMO_LAYERS } from '../src/demo/image.js'
import { buildTar } from '../src/demo/tar.js'
import { compareManifests, type Manifest, manifestOf } from '../src/tree/manifest.js'
import { jsonAt } from './helpers.js'
import { hasTool, sh } from './interop-tools.js'

const tools = { umoci: await hasTool('umoci'), skopeo: await hasTool('skopeo') }
const missing = Object.entries(tools).filter(([, ok]) => !ok)

interface Extracted {
  top: string
  name: string
  layers: { chainId: string }[]
}

const manifestAt = async (dir: string): Promise<Manifest> => {
  const m = await manifestOf(hostFileTree(dir, { readOnly: true }))()
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}

let work = ''
let demo = ''
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stratum-interop-formats-'))
  demo = join(work, 'demo')
  const blobs = DEMO_LAYERS.map((l, i) => layerBlob(buildTar(l), i === 1 ? 'none' : 'gzip'))
  const w = await writeImageLayout(demo, 'v1', blobs, { os: 'linux', architecture: 'amd64' })()
  if (E.isLeft(w)) throw new Error(JSON.stringify(w.left))
})
afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true })
})

/** A fresh simulator state directory. */
const fresh = async (name: string): Promise<ReturnType<typeof jsonAt>> => {
  const d = join(work, name)
  await mkdir(d)
  return jsonAt(d)
}

describe('image formats with skopeo and umoci', () => {
  it('the tools are installed (a missing one fails this file, never skips it)', () => {
    expect(
      missing.map(([t]) => t),
      'apt-get install -y umoci skopeo',
    ).toEqual([])
  })

  it('a docker-archive made by skopeo copy oci:… docker-archive:… extracts to the chainIDs of its OCI source', async () => {
    const ref = await (await fresh('ref'))<Extracted>('extract', `${demo}:v1`)
    const file = join(work, 'demo.tar')
    await sh(work, 'skopeo', 'copy', `oci:${demo}:v1`, `docker-archive:${file}:demo:v1`)
    const viaPrefix = await (await fresh('da1'))<Extracted>('extract', `docker-archive:${file}`)
    expect(viaPrefix.layers.map((l) => l.chainId)).toEqual(ref.layers.map((l) => l.chainId))
    expect(viaPrefix.name).toBe('docker.io/library/demo:v1') // skopeo's repo tag, kept as written
    const byTag = await (await fresh('da3'))<Extracted>('extract', `docker-archive:${file}:demo:v1`)
    expect(byTag.top).toBe(ref.top)
    const bare = await (await fresh('da2'))<Extracted>('extract', file, '--name', 'x:1')
    expect(bare.top).toBe(ref.top)
  })

  it('a layout skopeo rewrites with zstd layers (--dest-compress-format zstd) extracts to the chainIDs of its gzip source', async () => {
    const ref = await (await fresh('zref'))<Extracted>('extract', `${demo}:v1`)
    const dst = join(work, 'demo-zstd')
    await sh(work, 'skopeo', 'copy', '--dest-compress-format', 'zstd', `oci:${demo}:v1`, `oci:${dst}:v1`)
    const manifest = await sh(work, 'skopeo', 'inspect', '--raw', `oci:${dst}:v1`)
    expect(manifest).toContain('application/vnd.oci.image.layer.v1.tar+zstd')
    const z = await (await fresh('zstd'))<Extracted>('extract', `${dst}:v1`)
    expect(z.layers.map((l) => l.chainId)).toEqual(ref.layers.map((l) => l.chainId))
    expect(z.top).toBe(ref.top)
  })

  it('an image stratum save writes: skopeo copies it to a layout and a docker-archive that extract to its chainIDs; umoci unpack equals export', async () => {
    const json = await fresh('save')
    await json('extract', `${demo}:v1`, '--name', 'demo:v1')
    await json('start', 'web', 'demo:v1')
    await writeFile(
      join(work, 'change.tar'),
      buildTar([
        { path: 'srv', type: 'dir' },
        { path: 'srv/app', body: 'app\n', mode: 0o755 },
      ]),
    )
    await json('apply', 'web', join(work, 'change.tar'))
    const commit = await json<{ chainId: string }>('commit', 'web')
    const out = join(work, 'saved')
    const saved = await json<{ layers: { chainId: string }[]; top: string }>('save', commit.chainId, `${out}:v2`)
    const chains = saved.layers.map((l) => l.chainId)
    await sh(work, 'skopeo', 'copy', `oci:${out}:v2`, `oci:${join(work, 'copied')}:v2`)
    await sh(work, 'skopeo', 'copy', `oci:${out}:v2`, `docker-archive:${join(work, 'saved.tar')}:saved:v2`)
    const fromLayout = await (await fresh('back1'))<Extracted>('extract', `${join(work, 'copied')}:v2`)
    const fromArchive = await (await fresh('back2'))<Extracted>('extract', `docker-archive:${join(work, 'saved.tar')}`)
    expect(fromLayout.layers.map((l) => l.chainId)).toEqual(chains)
    expect(fromArchive.layers.map((l) => l.chainId)).toEqual(chains)
    await json('export', commit.chainId, join(work, 'ours'))
    await sh(work, 'umoci', 'unpack', '--rootless', '--image', `${out}:v2`, join(work, 'bundle'))
    expect(
      compareManifests(await manifestAt(join(work, 'ours')), await manifestAt(join(work, 'bundle', 'rootfs'))),
    ).toEqual([])
  })
})
