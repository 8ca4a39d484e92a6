/**
 * Command-line arguments parsed at the boundary: the image layout argument (layer references
 * are resolved by the store's resolver, container ids parsed by the store).
 */
import * as E from 'fp-ts/lib/Either.js'
import { type Compression, err, type StorageError } from '@stratum/core'

export interface ImageArg {
  readonly dir: string
  readonly ref: string
}

/**
 * `<oci-layout-dir>[:<tag>]`: the last ':' splits off the tag when what follows it contains
 * no '/'; the tag defaults to `latest`. A digest ref (`dir:sha256:<hex>`) names a manifest.
 */
export const parseImageArg = (s: string): E.Either<StorageError, ImageArg> => {
  const digest = /^(.*):(sha256:[0-9a-f]{64})$/.exec(s)
  if (digest !== null) return E.right({ dir: digest[1]!, ref: digest[2]! })
  const i = s.lastIndexOf(':')
  const ref = i > 0 ? s.slice(i + 1) : ''
  const dir = i > 0 && !ref.includes('/') ? s.slice(0, i) : s
  const tag = dir === s ? 'latest' : ref
  return dir === '' || tag === ''
    ? E.left(err('InvalidName', { name: s, reason: 'expected <oci-layout-dir>[:<tag>]' }))
    : E.right({ dir, ref: tag })
}

/** The layer compressions `-z` takes (`save`, `package`). */
export const COMPRESSIONS: readonly Compression[] = ['gzip', 'none']

/** `<oci-layout-dir>[:<tag>]` to write into: a tag, never a digest (a written manifest's digest is not chosen). */
export const parseLayoutTarget = (s: string): E.Either<StorageError, ImageArg> => {
  const arg = parseImageArg(s)
  return E.isRight(arg) && /^sha256:/.test(arg.right.ref)
    ? E.left(err('InvalidName', { name: s, reason: 'a written image is named by a tag, not a digest' }))
    : arg
}
