// Test layouts with image indexes: images written per platform, then index blobs over them.
import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { type Digest, sha256 } from '../../src/oci/digest.js'
import { blobPath } from '../../src/oci/layout-file.js'
import { ANNOTATION_REF_NAME, MEDIA_INDEX, MEDIA_MANIFEST } from '../../src/oci/media.js'
import type { PlatformSpec } from '../../src/oci/platform.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'

export interface Entry {
  readonly mediaType: string
  readonly digest: Digest
  readonly size: number
  readonly platform?: PlatformSpec
  readonly annotations?: Record<string, string>
}

/** A JSON blob written into the layout, as its descriptor. */
export const putBlob = async (dir: string, doc: unknown, mediaType: string): Promise<Entry> => {
  const bytes = Buffer.from(JSON.stringify(doc))
  const digest = sha256(bytes)
  await writeFile(blobPath(dir, digest), bytes)
  return { mediaType, digest, size: bytes.length }
}

export const putIndex = (dir: string, manifests: readonly Entry[]): Promise<Entry> =>
  putBlob(dir, { schemaVersion: 2, mediaType: MEDIA_INDEX, manifests }, MEDIA_INDEX)

/** index.json made of `entries`, each tagged when a name is given. */
export const setTop = (dir: string, entries: readonly (readonly [string | undefined, Entry])[]): Promise<void> =>
  writeFile(
    join(dir, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: entries.map(([name, e]) =>
        name === undefined ? e : { ...e, annotations: { [ANNOTATION_REF_NAME]: name } },
      ),
    }),
  )

/** An image of one layer (`tar`, else `text` padded) for `p`, as an index entry naming its platform. */
export const platformImage = async (dir: string, p: PlatformSpec, text: string, tar?: Uint8Array): Promise<Entry> => {
  const layer = layerBlob(tar ?? Buffer.from(text.padEnd(1024, '\0')))
  const w = await writeImageLayout(dir, `tmp-${text}`, [layer], p)()
  if (E.isLeft(w)) throw new Error(JSON.stringify(w.left))
  const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { manifests: Entry[] }
  const m = index.manifests.find((d) => d.digest === w.right.manifestDigest)!
  return { mediaType: MEDIA_MANIFEST, digest: m.digest, size: m.size, platform: p }
}
