import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chainIds, sha256 } from '../../src/oci/digest.js'
import { readImage } from '../../src/oci/layout.js'
import { blobPath, openBlob } from '../../src/oci/layout-file.js'
import { MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { hostPlatform, layerBlob, writeImageLayout } from '../../src/oci/write.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratum-oci-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const fakeTar = (s: string) => Buffer.from(s.padEnd(1024, '\0'))

describe('image layout', () => {
  it('reads an image by tag and by manifest digest, with diffIDs from the config', async () => {
    const layers = [layerBlob(fakeTar('one')), layerBlob(fakeTar('two'), 'none')]
    const w = await writeImageLayout(dir, 'app:1', layers)()
    if (E.isLeft(w)) throw new Error('write failed')
    expect(w.right.chainIds).toEqual(chainIds([sha256(fakeTar('one')), sha256(fakeTar('two'))] as never))
    for (const ref of ['app:1', w.right.manifestDigest]) {
      const r = await readImage(dir, ref)()
      if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
      expect(r.right.manifestDigest).toBe(w.right.manifestDigest)
      expect(r.right.layers.map((l) => [l.compression, l.diffId])).toEqual([
        ['gzip', layers[0]!.diffId],
        ['none', layers[1]!.diffId],
      ])
      expect(r.right.layers[1]!.descriptor.mediaType).toBe(MEDIA_LAYER_TAR)
    }
  })

  it("the config names the platform given, by default this host's in OCI spelling", async () => {
    const configOf = async (ref: string) => {
      const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as {
        manifests: { digest: string; annotations: Record<string, string> }[]
      }
      const blob = async (d: string) =>
        JSON.parse(await readFile(join(dir, 'blobs', 'sha256', d.slice('sha256:'.length)), 'utf8'))
      const m = index.manifests.find((x) => x.annotations['org.opencontainers.image.ref.name'] === ref)!
      const config = await blob(((await blob(m.digest)) as { config: { digest: string } }).config.digest)
      return { os: config.os, architecture: config.architecture }
    }
    await writeImageLayout(dir, 'jail', [], { os: 'freebsd', architecture: 'arm64' })()
    await writeImageLayout(dir, 'host', [])()
    expect(await configOf('jail')).toEqual({ os: 'freebsd', architecture: 'arm64' })
    expect(await configOf('host')).toEqual(hostPlatform())
    expect(hostPlatform().architecture).not.toBe('x64')
  })

  it('two images share one layout directory', async () => {
    await writeImageLayout(dir, 'a', [layerBlob(fakeTar('a'))])()
    await writeImageLayout(dir, 'b', [layerBlob(fakeTar('b'))])()
    expect(E.isRight(await readImage(dir, 'a')())).toBe(true)
    expect(E.isRight(await readImage(dir, 'b')())).toBe(true)
  })

  it('an unknown tag is Io ENOENT naming index.json', async () => {
    await writeImageLayout(dir, 'a', [])()
    expect(await readImage(dir, 'nope')()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Io', code: 'ENOENT', path: join(dir, 'index.json') },
    })
  })

  it('a missing oci-layout is Io ENOENT naming it', async () => {
    expect(await readImage(dir, 'a')()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Io', code: 'ENOENT', path: join(dir, 'oci-layout') },
    })
  })

  it('malformed index.json is CorruptLayer naming it and the bad field', async () => {
    await writeImageLayout(dir, 'a', [])()
    await writeFile(
      join(dir, 'index.json'),
      JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: 'x', digest: 'sha256:12', size: 1 }] }),
    )
    const r = await readImage(dir, 'a')()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CorruptLayer', what: join(dir, 'index.json') } })
    expect(E.isLeft(r) && r.left._tag === 'CorruptLayer' && r.left.reason).toContain('manifests.0.digest')
    await writeFile(join(dir, 'index.json'), '{not json')
    expect(await readImage(dir, 'a')()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'CorruptLayer', what: join(dir, 'index.json') },
    })
  })

  it('a tampered manifest blob is DigestMismatch naming the blob', async () => {
    const w = await writeImageLayout(dir, 'a', [layerBlob(fakeTar('x'))])()
    if (E.isLeft(w)) throw new Error('write failed')
    const p = blobPath(dir, w.right.manifestDigest)
    await writeFile(p, '{"schemaVersion":2}')
    expect(await readImage(dir, 'a')()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'DigestMismatch', what: p, expected: w.right.manifestDigest },
    })
  })

  it('a zstd layer reads as zstd; an encrypted one is Unsupported naming the media type', async () => {
    await writeImageLayout(dir, 'z', [
      { ...layerBlob(fakeTar('z')), mediaType: 'application/vnd.oci.image.layer.v1.tar+zstd' },
    ])()
    const z = await readImage(dir, 'z')()
    expect(E.isRight(z) && z.right.layers.map((l) => l.compression)).toEqual(['zstd'])
    const encrypted = 'application/vnd.oci.image.layer.v1.tar+gzip+encrypted'
    await writeImageLayout(dir, 'e', [{ ...layerBlob(fakeTar('e')), mediaType: encrypted }])()
    const r = await readImage(dir, 'e')()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'Unsupported' } })
    expect(E.isLeft(r) && r.left._tag === 'Unsupported' && r.left.what).toContain(encrypted)
  })

  it('a missing layer blob fails when read, naming its path', async () => {
    const missing = sha256('nothing')
    const out: unknown[] = []
    try {
      for await (const c of openBlob(dir, missing, 0)) out.push(c)
    } catch (e) {
      out.push((e as { error: unknown }).error)
    }
    expect(out).toEqual([expect.objectContaining({ _tag: 'Io', code: 'ENOENT', path: blobPath(dir, missing) })])
  })
})
