/**
 * LayerStore failures, on any driver: a failed extract publishes nothing and leaves no tmp
 * dataset (U4, I4-I6), racing extracts publish one layer, and recover() rolls back leftovers.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { gzipSync } from 'node:zlib'
import {
  MEDIA_LAYER_GZIP,
  MEDIA_LAYER_TAR,
  blobPath,
  datasetName,
  layerBlob,
  openLayerStore,
  sha256,
  snapshotName,
} from '@stratum/core'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup, SuiteContext } from '../context.js'
import type { Fixture } from '../fixture.js'
import { compressLayer } from '../fixtures/compress.js'
import { appLayer, baseLayer, storeDatasets, withStore } from '../fixtures/layers.js'
import { chunked, writeImage } from '../fixtures/store.js'

/** Only the datasets open() creates, plus the layers given. */
const onlyLayers = async (ctx: SuiteContext, f: Fixture, extra: readonly string[] = []): Promise<void> => {
  const names = await storeDatasets(ctx, f)
  expect(names.filter((n) => n.startsWith(`${f.base}/tmp/`))).toEqual([])
  const layers = names.filter(
    (n) => n.startsWith(`${f.base}/storage/`) && !n.startsWith(`${f.base}/storage/empty`) && !n.includes('@'),
  )
  expect(layers).toEqual([...extra].sort())
}

export const storeFailureGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: failures leave nothing', () => {
    // failure leaves nothing: a layer with a bad blob digest -> DigestMismatch, no published dataset, no tmp leftover
    it('a blob whose sha256 differs from the manifest is DigestMismatch; nothing is published', () =>
      withStore(ctx, async (s, f, dir) => {
        const img = await writeImage(dir, 'app', [await baseLayer()])
        const path = blobPath(dir, img.layerDigests[0]!)
        const evil = Buffer.from(await readFile(path))
        evil[evil.length - 9] = evil[evil.length - 9]! ^ 0xff // same size, another digest (and a broken gzip trailer)
        await writeFile(path, evil)
        await ctx.fails(s.extractImage(dir, 'app'), 'DigestMismatch', {
          expected: img.layerDigests[0],
          actual: sha256(evil),
        })
        await onlyLayers(ctx, f)
      }))

    it('an uncompressed stream that differs from the config diffID is DigestMismatch; lower layers stay', () =>
      withStore(ctx, async (s, f, dir) => {
        const base = await baseLayer()
        const lying = { ...layerBlob(await appLayer()), diffId: sha256('not this') as never }
        const img = await writeImage(dir, 'app', [base, lying])
        await ctx.fails(s.extractImage(dir, 'app'), 'DigestMismatch', {
          expected: sha256('not this'),
          actual: sha256(await appLayer()),
        })
        await onlyLayers(ctx, f, [`${f.base}/storage/${img.chainIds[0]!.slice(7)}`])
      }))

    it('truncated gzip or zstd and trailing garbage are CorruptLayer; nothing is published', () =>
      withStore(ctx, async (s, f) => {
        for (const c of ['gzip', 'zstd'] as const) {
          const { blob, mediaType } = compressLayer(await baseLayer(), c)
          for (const bad of [blob.subarray(0, blob.length - 20), Buffer.concat([blob, Buffer.from('garbage')])]) {
            await ctx.fails(s.extractLayer('empty', chunked(bad, 512), { mediaType }), 'CorruptLayer')
          }
        }
        await ctx.fails(
          s.extractLayer('empty', chunked(Buffer.from('not a tar at all'.repeat(100))), { mediaType: MEDIA_LAYER_TAR }),
          'CorruptLayer',
        )
        await onlyLayers(ctx, f)
      }))

    it('a gzip expanding past the store limit is LimitExceeded; nothing is published', () =>
      ctx.withFixture(async (f) => {
        const s = await ctx.ok(openLayerStore(f.driver, f.base, { decompressLimits: { maxBytes: 256 * 1024 } }))
        const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024))
        await ctx.fails(s.extractLayer('empty', chunked(bomb), { mediaType: MEDIA_LAYER_GZIP }), 'LimitExceeded', {
          limit: 256 * 1024,
        })
        await onlyLayers(ctx, f)
      }))

    it('a missing parent layer is DatasetNotFound; nothing is published', () =>
      withStore(ctx, async (s, f) => {
        const t = await baseLayer()
        await ctx.fails(
          s.extractLayer(sha256('none') as never, chunked(t), { mediaType: MEDIA_LAYER_TAR }),
          'DatasetNotFound',
        )
        await onlyLayers(ctx, f)
      }))

    it('two extracts of the same layer racing publish one dataset and both succeed', () =>
      withStore(ctx, async (s, f) => {
        const t = await baseLayer()
        const [{ chainId: a }, { chainId: b }] = await Promise.all([
          ctx.ok(s.extractLayer('empty', chunked(t, 100), { mediaType: MEDIA_LAYER_TAR })),
          ctx.ok(s.extractLayer('empty', chunked(t, 100), { mediaType: MEDIA_LAYER_TAR })),
        ])
        expect(a).toBe(b)
        await onlyLayers(ctx, f, [`${f.base}/storage/${a.slice(7)}`])
      }))

    it('recover destroys tmp datasets; a snapshot someone else made on a container is left alone and reported', () =>
      withStore(ctx, async (s, f) => {
        const c = (await ctx.ok(s.extractLayer('empty', chunked(await baseLayer()), { mediaType: MEDIA_LAYER_TAR })))
          .chainId
        await ctx.ok(s.start('c1', c))
        // leftovers of a crash: an extract in tmp; and an admin's snapshot on a container
        await ctx.ok(
          f.driver.clone(snapshotName(`${f.base}/storage/empty@extracted`), datasetName(`${f.base}/tmp/crashed`)),
        )
        await ctx.ok(f.driver.snapshot(snapshotName(`${f.base}/runtime/c1@commit-x`)))
        const report = await ctx.ok(s.recover())
        expect(report.destroyed).toEqual([`${f.base}/tmp/crashed`])
        expect(report.rolledBack).toEqual([])
        expect(report.skipped).toContainEqual({
          name: `${f.base}/runtime/c1@commit-x`,
          reason: 'a snapshot Stratum did not make: left alone',
        })
        await onlyLayers(ctx, f, [`${f.base}/storage/${c.slice(7)}`])
        expect(await storeDatasets(ctx, f)).toContain(`${f.base}/runtime/c1@commit-x`)
        expect(await ctx.ok(s.listContainers())).toEqual([expect.objectContaining({ id: 'c1', parent: c })])
      }))
  })
}
