/**
 * Image references, recorded in the pool itself: one user property per image on
 * `<base>/images` (a dataset without files), named `stratum:image.<sha256 hex of the name>`
 * (image names have characters no property name may hold), its value the JSON record below.
 * Recording or moving a reference is one property write, dropping it one inherit, listing
 * them one listing: see docs/DESIGN.md "Images".
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { catchTag } from '../catch-tag.js'
import type { DatasetInfo } from '../driver.js'
import { err, type StorageError } from '../errors.js'
import type { PropertyName } from '../names.js'
import { describeErrors } from '../oci/codecs.js'
import { ChainId, Digest, digestHex, sha256 } from '../oci/digest.js'
import type { StoreContext } from './context.js'
import type { LayerRef } from './layout.js'
import { must, steps } from './steps.js'

const IMAGE_PREFIX = 'stratum:image.'

/** The property that records image `name`. */
export const imageProperty = (name: string): PropertyName => `${IMAGE_PREFIX}${digestHex(sha256(name))}` as PropertyName

const Labels = t.record(t.string, t.string)

const ImageRecordC = t.intersection([
  t.type({
    name: t.string,
    manifest: Digest,
    config: Digest,
    top: t.union([t.literal('empty'), ChainId]),
    created: t.string,
  }),
  t.partial({ platform: t.string, labels: Labels }),
])

/** One image reference: its name (as the OCI/Docker reference grammar writes it) and what it names. */
export interface ImageRecord {
  readonly name: string
  /** the manifest's digest */
  readonly manifest: Digest
  /** the config blob's digest */
  readonly config: Digest
  /** `os/architecture` from the config, when it says */
  readonly platform?: string
  /** the image's top layer ('empty' for an image without layers) */
  readonly top: LayerRef
  /** when the reference was recorded (ISO 8601) */
  readonly created: string
  readonly labels?: Readonly<Record<string, string>>
}

/** A record stays well under a ZFS user property's 8 KiB with labels of at most this JSON length. */
const MAX_LABELS_JSON = 4096

/** The config's `Labels` when they are strings and small enough for the record (a saved image carries them). */
export const labelsOf = (config: Readonly<Record<string, unknown>> | undefined): Record<string, string> | undefined => {
  const l = config?.Labels
  if (typeof l !== 'object' || l === null || Array.isArray(l)) return undefined
  const entries = Object.entries(l)
  if (entries.length === 0 || entries.some(([, v]) => typeof v !== 'string')) return undefined
  return Buffer.byteLength(JSON.stringify(l)) <= MAX_LABELS_JSON ? (l as Record<string, string>) : undefined
}

/** A property under `<base>/images` that is not a readable record: reported, never fatal. */
export interface OddRecord {
  readonly property: string
  readonly reason: string
}

/** The image records in a listing that contains `<base>/images`, sorted by name, and the odd ones. */
export const imagesIn = (
  ctx: StoreContext,
  listing: readonly DatasetInfo[],
): { readonly images: ImageRecord[]; readonly odd: OddRecord[] } => {
  const props = listing.find((i) => i.name === ctx.layout.images)?.properties ?? {}
  const images: ImageRecord[] = []
  const odd: OddRecord[] = []
  for (const [property, value] of Object.entries(props)) {
    if (!property.startsWith(IMAGE_PREFIX)) continue
    const decoded = pipe(
      E.tryCatch(
        () => JSON.parse(value) as unknown,
        () => 'not JSON',
      ),
      E.flatMap((u) => pipe(ImageRecordC.decode(u), E.mapLeft(describeErrors))),
    )
    if (E.isLeft(decoded)) odd.push({ property, reason: decoded.left })
    else if (imageProperty(decoded.right.name) !== property)
      odd.push({ property, reason: `records '${decoded.right.name}', which is not its name's property` })
    else images.push(decoded.right)
  }
  images.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  return { images, odd }
}

/** Every image reference of the store (one listing of `<base>/images`; none when it was never made). */
export const listImages = (ctx: StoreContext): TE.TaskEither<StorageError, readonly ImageRecord[]> =>
  pipe(
    ctx.driver.list(ctx.layout.images),
    catchTag('DatasetNotFound', () => TE.right([] as readonly DatasetInfo[])),
    TE.map((listing) => imagesIn(ctx, listing).images),
  )

/** Records `image`, moving its name when that name named another image. The first record makes `<base>/images`. */
export const recordImage = (ctx: StoreContext, image: ImageRecord): TE.TaskEither<StorageError, void> => {
  const d = ctx.driver
  const prop = imageProperty(image.name)
  const value = JSON.stringify(image)
  const set = d.setProperty(ctx.layout.images, prop, value)
  return pipe(
    set,
    catchTag('DatasetNotFound', () =>
      pipe(
        d.create(ctx.layout.images, { properties: { [prop]: value } as Record<PropertyName, string>, noFiles: true }),
        catchTag('DatasetExists', () => set),
      ),
    ),
    TE.mapLeft((e) =>
      e._tag === 'LimitExceeded'
        ? err('LimitExceeded', { what: `record of image '${image.name}'`, limit: e.limit })
        : e,
    ),
  )
}

/** Drops the reference `name`; ReferenceNotFound when there is none. */
export const removeImage = (ctx: StoreContext, name: string): TE.TaskEither<StorageError, ImageRecord> =>
  steps(async () => {
    const image = (await must(listImages(ctx))).find((i) => i.name === name)
    if (image === undefined) return must(TE.left(err('ReferenceNotFound', { name, reason: 'no image of that name' })))
    await must(ctx.driver.inheritProperty(ctx.layout.images, imageProperty(name)))
    return image
  })
