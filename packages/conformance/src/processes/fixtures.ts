/**
 * The images the process checks extract: four small layers whose images share prefixes, and
 * the change every churned container gets. Each tar is built from a list of entries, which
 * the reference trees (references.ts) read too.
 */
import { layerBlob, type StorageError, type WrittenImage, writeImageLayout } from '@stratum/core'
import { END_OF_ARCHIVE, encodeHeader } from '@stratum/core/internal'
import * as TE from 'fp-ts/lib/TaskEither.js'

export interface EntrySpec {
  readonly path: string
  readonly dir?: true
  readonly content?: string
  readonly whiteout?: true
}

/** An uncompressed tar of these entries (files 0644, directories 0755, fixed mtime). */
export const makeTar = (entries: readonly EntrySpec[]): Uint8Array => {
  const parts: Uint8Array[] = []
  for (const e of entries) {
    const i = e.path.lastIndexOf('/')
    const path = e.whiteout ? `${e.path.slice(0, i + 1)}.wh.${e.path.slice(i + 1)}` : e.path
    const body = new TextEncoder().encode(e.content ?? '')
    parts.push(
      encodeHeader({
        path,
        type: e.dir ? 'dir' : 'file',
        mode: e.dir ? 0o755 : 0o644,
        uid: 0,
        gid: 0,
        mtimeMs: 1_600_000_000_000,
        size: e.dir ? 0 : body.length,
      }),
    )
    if (!e.dir) {
      parts.push(body)
      parts.push(new Uint8Array((512 - (body.length % 512)) % 512))
    }
  }
  parts.push(END_OF_ARCHIVE)
  return new Uint8Array(Buffer.concat(parts))
}

const files = (dir: string, n: number, tag: string): EntrySpec[] => [
  { path: dir, dir: true },
  ...Array.from({ length: n }, (_, i) => ({ path: `${dir}/f${i}`, content: `${tag} ${i}` })),
]

/** The entries of the four layers. */
export const LAYER_SPECS: readonly (readonly EntrySpec[])[] = [
  files('bin', 8, 'base'),
  files('etc', 6, 'one'),
  [...files('srv', 5, 'two'), { path: 'bin/f0', whiteout: true }],
  files('opt', 6, 'three'),
]
export const LAYERS: readonly Uint8Array[] = LAYER_SPECS.map(makeTar)

/** Images share prefixes: a = [L0, L1], b = [L0, L1, L2], c = [L0, L3], d = [L0, L3, L2]. */
export const IMAGES: Readonly<Record<string, readonly number[]>> = { a: [0, 1], b: [0, 1, 2], c: [0, 3], d: [0, 3, 2] }

/** The change every churned container gets before its commit. */
export const CHURN_SPEC: readonly EntrySpec[] = files('data', 3, 'churn')
export const CHURN_TAR = makeTar(CHURN_SPEC)

export async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}

/** Writes every image into the OCI layout `dir`. */
export const writeImages = (dir: string): TE.TaskEither<StorageError, readonly WrittenImage[]> =>
  TE.sequenceSeqArray(
    Object.entries(IMAGES).map(([ref, layers]) =>
      writeImageLayout(
        dir,
        ref,
        layers.map((i) => layerBlob(LAYERS[i]!)),
      ),
    ),
  )
