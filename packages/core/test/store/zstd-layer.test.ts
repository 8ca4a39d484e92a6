// A zstd layer (OCI's and Docker's media types) extracts to the chainID of its gzip twin; a broken one publishes nothing.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSimDriver } from '@stratum/sim-driver'
import { afterAll, describe, expect, it } from 'vitest'
import { asDiffId } from '../../src/oci/digest.js'
import { MEDIA_DOCKER_LAYER_ZSTD, MEDIA_LAYER_ZSTD } from '../../src/oci/media.js'
import { FailureSlot } from '../../src/oci/stream.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { unzstd } from '../../src/oci/zstd.js'
import { openLayerStore } from '../../src/store/open.js'
import { TREE_TAR, treeZst } from '../oci/zstd-fixture.js'
import { BASE, fail, ok } from './helpers.js'
import { once } from './tar.js'

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))

const layout = async (blob: Parameters<typeof writeImageLayout>[2][number]) => {
  const dir = await mkdtemp(join(tmpdir(), 'stratum-zstd-'))
  dirs.push(dir)
  return { dir, written: await ok(writeImageLayout(dir, 'z', [blob])) }
}

describe('zstd layers in the store', () => {
  it.each([MEDIA_LAYER_ZSTD, MEDIA_DOCKER_LAYER_ZSTD])(
    '%s extracts to the chainID of its gzip twin',
    async (mediaType) => {
      const zst = treeZst()
      const chunks: Uint8Array[] = []
      for await (const c of unzstd(once(zst), 'fixture', new FailureSlot())) chunks.push(c)
      const gz = await layout(layerBlob(Buffer.concat(chunks)))
      const z = await layout({ blob: zst, mediaType, diffId: asDiffId(TREE_TAR) })
      const s = await ok(openLayerStore(createSimDriver(), BASE))
      const fromZstd = await ok(s.extractImage(z.dir, 'z'))
      expect(fromZstd.layers).toEqual([{ chainId: gz.written.chainIds[0], diffId: TREE_TAR, reused: false }])
      const fromGzip = await ok(s.extractImage(gz.dir, 'z'))
      expect(fromGzip.layers).toEqual([{ chainId: gz.written.chainIds[0], diffId: TREE_TAR, reused: true }])
    },
  )

  it('a truncated zstd layer is CorruptLayer naming the layer, and publishes nothing', async () => {
    const zst = treeZst()
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const before = await ok(d.list(BASE))
    const e = await fail(s.extractLayer('empty', once(zst.subarray(0, 20_000)), { mediaType: MEDIA_LAYER_ZSTD }))
    expect(e).toMatchObject({ _tag: 'CorruptLayer', what: 'layer (unnamed)' })
    const named = await fail(
      s.extractLayer('empty', once(zst.subarray(0, 20_000)), {
        mediaType: MEDIA_LAYER_ZSTD,
        diffId: asDiffId(TREE_TAR),
      }),
    )
    expect(named).toMatchObject({ _tag: 'CorruptLayer', what: `layer ${TREE_TAR}` })
    expect(await ok(d.list(BASE))).toEqual(before)
  })
})
