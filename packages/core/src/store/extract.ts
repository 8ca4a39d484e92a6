/**
 * Extract, as fixed from the seed: layers are keyed by chainID; an existing layer is reused,
 * never re-applied; otherwise the lower layer is cloned into tmp/<uuid>, the tar applied, the
 * digests verified, @extracted snapshotted, and the dataset published by one rename to
 * storage/<chain> (a concurrent winner's layer is used instead of ours). Any failure destroys
 * the tmp dataset and publishes nothing. The next layer's lower is this one's @extracted
 * (the seed never advanced it; see test/store/seed-defects.test.ts).
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { catchTag } from '../catch-tag.js'
import { err, type StorageError } from '../errors.js'
import type { DatasetName, SnapshotName } from '../names.js'
import { asDiffId, chainIdOf, type DiffId, type ChainId } from '../oci/digest.js'
import { DEFAULT_DECOMPRESS_LIMITS, gunzip } from '../oci/gzip.js'
import { readImage } from '../oci/layout.js'
import { openBlob } from '../oci/layout-file.js'
import { layerCompression } from '../oci/media.js'
import { FailureSlot, type Finished, Tap, verifyDigest } from '../oci/stream.js'
import type { StoreContext } from './context.js'
import { applyLayer } from './layer-ops.js'
import { EXTRACTED, type LayerRef, nowStamp, PROP } from './layout.js'
import { destroyQuietly, onFailure, setProps } from './ops.js'
import type { ExtractedImage, ExtractedLayer, LayerMeta } from './types.js'

const describeBlob = (meta: LayerMeta): string => `layer ${meta.digest ?? meta.diffId ?? '(unnamed)'}`

/** Applies `blob` onto `tmp`, then checks the blob digest, size and diffID. Gives the actual diffID. */
const applyVerified = (ctx: StoreContext, tmp: DatasetName, blob: AsyncIterable<Uint8Array>, meta: LayerMeta): TE.TaskEither<StorageError, DiffId> => {
  const what = describeBlob(meta)
  return pipe(
    TE.fromEither(layerCompression(meta.mediaType)),
    TE.bindTo('compression'),
    TE.bind('tree', () => ctx.driver.fs(tmp)),
    TE.flatMap(({ compression, tree }) => {
      const slot = new FailureSlot()
      const blobTap = new Tap(blob, `${what} blob`, meta.size)
      const limits = { ...DEFAULT_DECOMPRESS_LIMITS, ...ctx.options.decompressLimits }
      const tarTap = new Tap(compression === 'gzip' ? gunzip(blobTap, what, slot, limits) : blobTap, `${what} tar`)
      const opts = { capabilities: ctx.driver.capabilities, ...(ctx.options.applyLimits ? { limits: ctx.options.applyLimits } : {}) }
      // a failure raised inside the stream (gzip, limits, reading the blob) is the cause, whatever apply made of it
      const firstCause = <A>(ma: TE.TaskEither<StorageError, A>): TE.TaskEither<StorageError, A> =>
        pipe(ma, TE.mapLeft((e) => slot.error ?? blobTap.failure ?? e))
      const checkSize = (f: Finished): E.Either<StorageError, Finished> =>
        meta.size === undefined || f.bytes === meta.size
          ? E.right(f)
          : E.left(err('CorruptLayer', { what, reason: `blob is ${f.bytes} bytes, descriptor says ${meta.size}` }))
      // a blob that is not the one the manifest names is reported as such, even when it also broke the tar or gzip
      const preferDigestMismatch = (e: StorageError): TE.TaskEither<StorageError, Finished> =>
        meta.digest === undefined || e._tag === 'DigestMismatch'
          ? TE.left(e)
          : pipe(
            TE.fromTask(blobTap.finish()),
            TE.flatMap((r) => TE.left(E.isRight(r) && r.right.digest !== meta.digest
              ? err('DigestMismatch', { what: `${what} blob`, expected: meta.digest!, actual: r.right.digest })
              : e)),
          )
      return pipe(
        firstCause(applyLayer(tree, tarTap, opts)),
        TE.flatMap(() => firstCause(tarTap.finish())),
        TE.orElse(preferDigestMismatch),
        TE.flatMap((tar) => pipe(
          firstCause(blobTap.finish()),
          TE.flatMap(verifyDigest(`${what} blob`, meta.digest)),
          TE.flatMapEither(checkSize),
          TE.flatMap(() => verifyDigest(`${what} uncompressed (diffID)`, meta.diffId)(tar)),
        )),
        TE.map((tar) => asDiffId(tar.digest)),
        TE.orElse((e): TE.TaskEither<StorageError, DiffId> => pipe(
          TE.fromTask(async () => { await tarTap.close(); await blobTap.close() }),
          TE.flatMap(() => TE.left(e)),
        )),
      )
    }),
  )
}

const published = (ctx: StoreContext, chain: ChainId): TE.TaskEither<StorageError, boolean> =>
  ctx.driver.exists(ctx.layout.layerSnap(chain))

/** One layer over `parent`. */
export const extractOne = (ctx: StoreContext, parent: LayerRef, blob: AsyncIterable<Uint8Array>, meta: LayerMeta): TE.TaskEither<StorageError, ExtractedLayer> => {
  const { driver: d, layout } = ctx
  const known = meta.diffId === undefined ? undefined : chainIdOf(parent, meta.diffId)
  const reuse = (chainId: ChainId, diffId: DiffId): ExtractedLayer => ({ chainId, diffId, reused: true })
  const fresh = (): TE.TaskEither<StorageError, ExtractedLayer> => {
    const tmp = layout.freshTmp()
    const work = pipe(
      d.clone(layout.layerSnap(parent), tmp, {
        properties: { [PROP.state]: 'extracting', [PROP.parent]: parent, [PROP.owner]: ctx.owner.self, [PROP.created]: nowStamp() },
      }),
      TE.flatMap(() => onFailure(
        pipe(
          applyVerified(ctx, tmp, blob, meta),
          TE.flatMap((diffId) => {
            const chainId = chainIdOf(parent, diffId)
            return pipe(
              published(ctx, chainId),
              TE.flatMap((exists): TE.TaskEither<StorageError, ExtractedLayer> => exists
                ? pipe(TE.fromTask(destroyQuietly(d, tmp)), TE.map(() => reuse(chainId, diffId)))
                : pipe(
                  setProps(d, tmp, { [PROP.diffId]: diffId, [PROP.parent]: parent, [PROP.state]: 'ready', [PROP.created]: nowStamp() }),
                  TE.flatMap(() => d.snapshot(`${tmp}@${EXTRACTED}` as SnapshotName)),
                  TE.flatMap(() => d.rename(tmp, layout.layer(chainId))),
                  TE.map((): ExtractedLayer => ({ chainId, diffId, reused: false })),
                  // a concurrent extract published the same chainID first: use theirs
                  catchTag('DatasetExists', () => pipe(TE.fromTask(destroyQuietly(d, tmp)), TE.map(() => reuse(chainId, diffId)))),
                )),
            )
          }),
        ),
        () => destroyQuietly(d, tmp),
      )),
    )
    return work
  }
  if (known === undefined) return fresh()
  return pipe(
    published(ctx, known),
    TE.flatMap((exists) => (exists ? TE.right(reuse(known, meta.diffId!)) : fresh())),
  )
}

/** Every layer of image `ref` in the OCI layout at `dir`, bottom first. */
export const extractImage = (ctx: StoreContext, dir: string, ref: string): TE.TaskEither<StorageError, ExtractedImage> =>
  pipe(
    readImage(dir, ref),
    TE.flatMap((image) => {
      const step = (acc: { layers: ExtractedLayer[]; top: LayerRef }, i: number): TE.TaskEither<StorageError, { layers: ExtractedLayer[]; top: LayerRef }> => {
        const l = image.layers[i]!
        const meta: LayerMeta = { mediaType: l.descriptor.mediaType, digest: l.descriptor.digest, diffId: l.diffId, size: l.descriptor.size }
        return pipe(
          extractOne(ctx, acc.top, openBlob(dir, l.descriptor.digest, l.descriptor.size), meta),
          TE.map((x) => ({ layers: [...acc.layers, x], top: x.chainId })),
        )
      }
      return image.layers.reduce<TE.TaskEither<StorageError, { layers: ExtractedLayer[]; top: LayerRef }>>(
        (acc, _l, i) => pipe(acc, TE.flatMap((a) => step(a, i))),
        TE.right({ layers: [], top: 'empty' }),
      )
    }),
  )
