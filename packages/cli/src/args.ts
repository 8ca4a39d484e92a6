/**
 * Command-line arguments parsed at the boundary: the image layout argument (layer references
 * are resolved by the store's resolver, container ids parsed by the store).
 */
import * as E from 'fp-ts/lib/Either.js'
import { err, type StorageError } from '@stratum/core'

export interface ImageArg {
  readonly dir: string
  readonly ref: string
}

/** `<oci-layout-dir>[:<tag>]` split at the tag (see parseImageArg); `ref` undefined when none is written. */
const splitImageArg = (s: string): E.Either<StorageError, { dir: string; ref: string | undefined }> => {
  const digest = /^(.*):(sha256:[0-9a-f]{64})$/.exec(s)
  if (digest !== null) return E.right({ dir: digest[1]!, ref: digest[2]! })
  const i = s.lastIndexOf(':')
  const ref = i > 0 ? s.slice(i + 1) : ''
  const dir = i > 0 && !ref.includes('/') ? s.slice(0, i) : s
  return dir === '' || (dir !== s && ref === '')
    ? E.left(err('InvalidName', { name: s, reason: 'expected <oci-layout-dir>[:<tag>]' }))
    : E.right({ dir, ref: dir === s ? undefined : ref })
}

/**
 * `<oci-layout-dir>[:<tag>]`: the last ':' splits off the tag when what follows it contains
 * no '/'; the tag defaults to `latest`. A digest ref (`dir:sha256:<hex>`) names a manifest.
 */
export const parseImageArg = (s: string): E.Either<StorageError, ImageArg> =>
  E.map((a: { dir: string; ref: string | undefined }) => ({ dir: a.dir, ref: a.ref ?? 'latest' }))(splitImageArg(s))

/** `<oci-layout-dir>[:<tag>]` to write into: a tag, never a digest (a written manifest's digest is not chosen). */
export const parseLayoutTarget = (s: string): E.Either<StorageError, ImageArg> => {
  const arg = parseImageArg(s)
  return E.isRight(arg) && /^sha256:/.test(arg.right.ref)
    ? E.left(err('InvalidName', { name: s, reason: 'a written image is named by a tag, not a digest' }))
    : arg
}

/** Where `extract` reads an image: an OCI layout directory, or a `docker save` archive file. */
export type ImageSourceArg =
  | { readonly kind: 'layout'; readonly dir: string; readonly ref: string | undefined }
  | { readonly kind: 'docker-archive'; readonly path: string; readonly ref: string | undefined }

const DOCKER_ARCHIVE = 'docker-archive:'

/**
 * `docker-archive:<file>[:<repo tag>]` (skopeo's syntax: the file name ends at the first ':'),
 * `oci:<dir>[:<tag>]`, or a bare `<dir>[:<tag>]`, which `extract` reads as a docker archive
 * when it names a regular file. A layout without a tag: `latest`, else its only image (the store decides).
 */
export const parseImageSourceArg = (s: string): E.Either<StorageError, ImageSourceArg> => {
  if (s.startsWith(DOCKER_ARCHIVE)) {
    const rest = s.slice(DOCKER_ARCHIVE.length)
    const i = rest.indexOf(':')
    const path = i < 0 ? rest : rest.slice(0, i)
    const ref = i < 0 || rest.slice(i + 1) === '' ? undefined : rest.slice(i + 1)
    return path === ''
      ? E.left(err('InvalidName', { name: s, reason: 'expected docker-archive:<file>[:<repo tag>]' }))
      : E.right({ kind: 'docker-archive', path, ref })
  }
  return E.map((a: { dir: string; ref: string | undefined }): ImageSourceArg => ({ kind: 'layout', ...a }))(
    splitImageArg(s.startsWith('oci:') ? s.slice(4) : s),
  )
}

const SIZE_UNITS: Readonly<Record<string, number>> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }

/** A size in bytes as zfs writes it: whole digits with an optional K, M, G or T (powers of 1024); `none` is null. */
export const parseSize = (what: string, s: string): E.Either<StorageError, number | null> => {
  if (s === 'none') return E.right(null)
  const m = /^([0-9]+)([KMGT]?)$/i.exec(s)
  const n = m === null ? Number.NaN : Number(m[1]) * SIZE_UNITS[m[2]!.toUpperCase()]!
  return Number.isSafeInteger(n)
    ? E.right(n)
    : E.left(err('InvalidName', { name: s, reason: `${what} is bytes, e.g. 536870912, 512M or none` }))
}
