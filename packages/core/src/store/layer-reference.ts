/**
 * The one resolver of layer references, for the library and the CLI: `empty`, a full chainID
 * (`sha256:<64 hex>`, taken as is: no listing), an image name (the name as recorded, or with
 * `:latest` added when it has neither tag nor digest), or a unique prefix of at least 12 hex
 * digits of a published layer's chainID (with or without `sha256:`). An image name wins over a
 * prefix that spells the same. A name or prefix costs one listing of the base.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'
import { ChainId } from '../oci/digest.js'
import { parseImageReference } from '../oci/reference.js'
import type { StoreContext } from './context.js'
import { imagesIn } from './images.js'
import { EXTRACTED, type LayerRef } from './layout.js'

/** The shortest chainID prefix accepted, in hex digits. */
export const MIN_PREFIX = 12

const PREFIX = new RegExp(`^(?:sha256:)?([0-9a-f]{${MIN_PREFIX},64})$`)

/** `ref` with `:latest` added when it is an image name with neither tag nor digest, else undefined. */
export const withLatest = (ref: string): string | undefined => {
  const r = parseImageReference(ref)
  return E.isRight(r) && r.right.tag === undefined && r.right.digest === undefined ? `${ref}:latest` : undefined
}

/** Resolves `ref` to a layer: ReferenceNotFound when it names none, AmbiguousReference listing the candidates. */
export const resolveLayer = (ctx: StoreContext, ref: unknown): TE.TaskEither<StorageError, LayerRef> => {
  if (typeof ref !== 'string')
    return TE.left(err('InvalidName', { name: String(ref), reason: 'a layer reference is a string' }))
  if (ref === 'empty') return TE.right('empty')
  if (ChainId.is(ref)) return TE.right(ref)
  const latest = withLatest(ref)
  const hex = PREFIX.exec(ref)?.[1]
  return pipe(
    ctx.driver.list(ctx.layout.base),
    TE.flatMapEither((listing) => {
      const { images } = imagesIn(ctx, listing)
      const image = images.find((i) => i.name === ref) ?? images.find((i) => i.name === latest)
      if (image !== undefined) return E.right(image.top)
      const candidates =
        hex === undefined
          ? []
          : listing
              .filter((i) => i.type === 'snapshot' && i.name.endsWith(`@${EXTRACTED}`))
              .map((i) => ctx.layout.layerOf(i.name))
              .filter((l): l is ChainId => l !== undefined && l !== 'empty' && l.startsWith(`sha256:${hex}`))
      if (candidates.length === 1) return E.right(candidates[0]!)
      if (candidates.length > 1)
        return E.left(err('AmbiguousReference', { name: ref, candidates: [...candidates].sort() }))
      const reason = /^(?:sha256:)?[0-9a-f]+$/.test(ref)
        ? hex === undefined
          ? `no image of that name, and a chainID prefix needs at least ${MIN_PREFIX} hex digits`
          : 'no image of that name, and no layer whose chainID starts so'
        : 'no image of that name'
      return E.left(err('ReferenceNotFound', { name: ref, reason }))
    }),
  )
}

/** A layer reference that must name a published layer, not `empty` (which has no parent to package against, and stays). */
export const resolveChain = (ctx: StoreContext, ref: unknown): TE.TaskEither<StorageError, ChainId> =>
  pipe(
    resolveLayer(ctx, ref),
    TE.flatMap((l) =>
      l === 'empty'
        ? TE.left(err('InvalidName', { name: 'empty', reason: 'the empty base layer is not a layer here' }))
        : TE.right(l),
    ),
  )
