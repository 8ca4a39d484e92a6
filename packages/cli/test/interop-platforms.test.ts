// Interop of image indexes with skopeo: a multi-platform layout skopeo copies (--all) extracts, per platform, to the chainIDs and tree of its single-platform twin; a layout skopeo writes untagged extracts with no tag.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  ANNOTATION_REF_NAME,
  hostPlatform,
  layerBlob,
  MEDIA_INDEX,
  type PlatformSpec,
  sha256,
  writeImageLayout,
} from '@stratum/core'
import { hostFileTree } from '@stratum/zfs-driver'
import { DEMO_LAYERS } from '../src/demo/image.js'
import { buildTar } from '../src/demo/tar.js'
import { compareManifests, type Manifest, manifestOf } from '../src/tree/manifest.js'
import { cliAt, jsonAt } from './helpers.js'
import { hasTool, sh } from './interop-tools.js'

const skopeo = await hasTool('skopeo')

interface Extracted {
  top: string
  name: string
  layers: { chainId: string }[]
}

const host = hostPlatform()
const other: PlatformSpec =
  host.architecture === 'arm64' ? { os: 'linux', architecture: 'amd64' } : { os: 'linux', architecture: 'arm64' }
const platformArg = (p: PlatformSpec) => `${p.os}/${p.architecture}`

let work = ''
/** one layout holding a single-platform image per platform, tagged `host` and `other`, and `multi`: an index over both */
let src = ''
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stratum-interop-platforms-'))
  src = join(work, 'src')
  const entries = []
  for (const [tag, p, layers] of [
    ['host', host, DEMO_LAYERS],
    ['other', other, DEMO_LAYERS.slice(0, 2)],
  ] as const) {
    const w = await writeImageLayout(
      src,
      tag,
      layers.map((l) => layerBlob(buildTar(l))),
      p,
    )()
    if (E.isLeft(w)) throw new Error(JSON.stringify(w.left))
    const bytes = await readFile(join(src, 'blobs', 'sha256', w.right.manifestDigest.slice(7)))
    const platform = { os: p.os, architecture: p.architecture }
    entries.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: w.right.manifestDigest,
      size: bytes.length,
      platform,
    })
  }
  const index = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: MEDIA_INDEX, manifests: entries }))
  await writeFile(join(src, 'blobs', 'sha256', sha256(index).slice(7)), index)
  const top = JSON.parse(await readFile(join(src, 'index.json'), 'utf8')) as { manifests: unknown[] }
  const multi = {
    mediaType: MEDIA_INDEX,
    digest: sha256(index),
    size: index.length,
    annotations: { [ANNOTATION_REF_NAME]: 'multi' },
  }
  await writeFile(join(src, 'index.json'), JSON.stringify({ ...top, manifests: [...top.manifests, multi] }))
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

const treeOf = async (json: ReturnType<typeof jsonAt>, top: string, out: string): Promise<Manifest> => {
  await json('export', top, out)
  const m = await manifestOf(hostFileTree(out, { readOnly: true }))()
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}

describe('image indexes with skopeo', () => {
  it('skopeo is installed (a missing one fails this file, never skips it)', () => {
    expect(skopeo, 'apt-get install -y skopeo').toBe(true)
  })

  it('a multi-platform layout skopeo copies with --all extracts, per platform, to the chainIDs and tree of its twin', async () => {
    const dst = join(work, 'copied')
    await sh(work, 'skopeo', 'copy', '--all', `oci:${src}:multi`, `oci:${dst}:multi`)
    expect(await sh(work, 'skopeo', 'inspect', '--raw', `oci:${dst}:multi`)).toContain(MEDIA_INDEX)
    for (const [tag, p] of [
      ['host', host],
      ['other', other],
    ] as const) {
      const twinJson = await fresh(`twin-${tag}`)
      const twin = await twinJson<Extracted>('extract', `${src}:${tag}`)
      const json = await fresh(`multi-${tag}`)
      const got = await json<Extracted>('extract', `${dst}:multi`, '--platform', platformArg(p))
      expect(got.layers.map((l) => l.chainId)).toEqual(twin.layers.map((l) => l.chainId))
      expect(got.name).toBe('copied:multi')
      const trees = [
        await treeOf(json, got.top, join(work, `t-${tag}`)),
        await treeOf(twinJson, twin.top, join(work, `w-${tag}`)),
      ]
      expect(compareManifests(trees[0]!, trees[1]!)).toEqual([])
    }
    const byDefault = await (await fresh('multi-default'))<Extracted>('extract', `${dst}:multi`)
    expect(byDefault.layers).toHaveLength(DEMO_LAYERS.length)
  })

  it('a platform the index lacks fails naming the platforms there', async () => {
    const dir = join(work, 'none')
    await mkdir(dir)
    const r = await cliAt(dir)('extract', `${src}:multi`, '--platform', 'linux/s390x')
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('no manifest for platform linux/s390x')
    expect(r.stderr).toContain(platformArg(other))
  })

  it('a layout skopeo writes with no tag (one untagged manifest) extracts with no tag given', async () => {
    const dst = join(work, 'plain')
    await sh(work, 'skopeo', 'copy', `oci:${src}:host`, `oci:${dst}`)
    const index = JSON.parse(await readFile(join(dst, 'index.json'), 'utf8')) as {
      manifests: { annotations?: object }[]
    }
    expect(index.manifests).toHaveLength(1)
    expect(index.manifests[0]!.annotations).toBeUndefined()
    const twin = await (await fresh('untagged-twin'))<Extracted>('extract', `${src}:host`)
    const got = await (await fresh('untagged'))<Extracted>('extract', dst)
    expect(got.layers.map((l) => l.chainId)).toEqual(twin.layers.map((l) => l.chainId))
    expect(got.name).toMatch(/^plain@sha256:[0-9a-f]{64}$/)
  })
})
