/**
 * io-ts codecs for the OCI image layout files Stratum reads: `oci-layout`, `index.json`,
 * image manifests and image configs. Unknown fields are kept out (t.type ignores them);
 * what Stratum relies on is checked, digests included.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { err, type StorageError } from '../errors.js'
import { DiffId, Digest } from './digest.js'

const NonNegInt = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'NonNegativeInteger')

/** An index entry's platform (OCI image-spec); `os.version` and `os.features` are not read. */
export const DescriptorPlatform = t.intersection([
  t.type({ architecture: t.string, os: t.string }),
  t.partial({ variant: t.string }),
])
export type DescriptorPlatform = t.TypeOf<typeof DescriptorPlatform>

/** An OCI content descriptor: media type, digest, size. */
export const Descriptor = t.intersection([
  t.type({ mediaType: t.string, digest: Digest, size: NonNegInt }),
  t.partial({ annotations: t.record(t.string, t.string), urls: t.array(t.string), platform: DescriptorPlatform }),
])
/** An OCI content descriptor (see the `Descriptor` codec). */
export type Descriptor = t.TypeOf<typeof Descriptor>

/** The `oci-layout` file. */
export const OciLayout = t.type({ imageLayoutVersion: t.string })
/** The `oci-layout` file (see the `OciLayout` codec). */
export type OciLayout = t.TypeOf<typeof OciLayout>

/** An image index (`index.json`): the manifests it lists. */
export const ImageIndex = t.intersection([
  t.type({ schemaVersion: t.literal(2), manifests: t.array(Descriptor) }),
  t.partial({ mediaType: t.string, annotations: t.record(t.string, t.string) }),
])
/** An image index (see the `ImageIndex` codec). */
export type ImageIndex = t.TypeOf<typeof ImageIndex>

/** An image manifest: the config and layer descriptors. */
export const ImageManifest = t.intersection([
  t.type({ schemaVersion: t.literal(2), config: Descriptor, layers: t.array(Descriptor) }),
  t.partial({ mediaType: t.string, annotations: t.record(t.string, t.string) }),
])
/** An image manifest (see the `ImageManifest` codec). */
export type ImageManifest = t.TypeOf<typeof ImageManifest>

/** An image config: the diffIDs of its layers, platform and runtime config. */
export const ImageConfig = t.intersection([
  t.type({ rootfs: t.type({ type: t.literal('layers'), diff_ids: t.array(DiffId) }) }),
  t.partial({ architecture: t.string, os: t.string, created: t.string, config: t.UnknownRecord }),
])
/** An image config (see the `ImageConfig` codec). */
export type ImageConfig = t.TypeOf<typeof ImageConfig>

/** The first io-ts failure as one line: the JSON path and what was found. */
export const describeErrors = (es: t.Errors): string => {
  const e = es[0]
  if (e === undefined) return 'invalid'
  const keys: string[] = []
  e.context.forEach((c, i) => {
    const up = i > 0 ? e.context[i - 1]!.type : undefined
    if (c.key !== '' && !(up instanceof t.IntersectionType)) keys.push(c.key)
  })
  const path = keys.join('.')
  const expected = e.context[e.context.length - 1]?.type.name ?? '?'
  return `at '${path || '<root>'}': expected ${expected}, got ${JSON.stringify(e.value)?.slice(0, 80)}`
}

/** Parse JSON text with a codec; any failure is CorruptLayer naming `what` (a file or blob). */
export const decodeJson =
  <A>(codec: t.Decoder<unknown, A>, what: string) =>
  (text: string): E.Either<StorageError, A> =>
    pipe(
      E.tryCatch(
        () => JSON.parse(text) as unknown,
        (e) => err('CorruptLayer', { what, reason: `malformed JSON: ${(e as Error).message}` }),
      ),
      E.flatMap((u) =>
        pipe(
          codec.decode(u),
          E.mapLeft((es) => err('CorruptLayer', { what, reason: describeErrors(es) })),
        ),
      ),
    )
