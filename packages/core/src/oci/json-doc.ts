/** The layout's JSON documents read through their codecs: top files by path, blobs checked against their digests. */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type * as t from 'io-ts'
import { err, type StorageError } from '../errors.js'
import { decodeJson } from './codecs.js'
import { type Digest, sha256 } from './digest.js'
import { blobPath, readJsonBlobBytes, readLayoutFile } from './layout-file.js'

/** A top-level file of the layout (`oci-layout`, `index.json`), parsed with `codec`. */
export const readJson = <A>(path: string, codec: t.Decoder<unknown, A>): TE.TaskEither<StorageError, A> =>
  pipe(
    readLayoutFile(path),
    TE.flatMapEither((b) => decodeJson(codec, path)(b.toString('utf8'))),
  )

/** A JSON blob (at most `size` bytes when a descriptor states it), its sha256 checked against `d` before it is parsed. */
export const readJsonBlob = <A>(
  dir: string,
  d: Digest,
  size: number | undefined,
  codec: t.Decoder<unknown, A>,
): TE.TaskEither<StorageError, A> => {
  const path = blobPath(dir, d)
  return pipe(
    readJsonBlobBytes(dir, d, size),
    TE.flatMapEither((b) => {
      const actual = sha256(b)
      return actual === d ? E.right(b) : E.left(err('DigestMismatch', { what: path, expected: d, actual }))
    }),
    TE.flatMapEither((b) => decodeJson(codec, path)(b.toString('utf8'))),
  )
}
