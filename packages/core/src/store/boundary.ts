/**
 * The store's arguments from library callers, checked where they enter: a wrong-typed blob or
 * layer description is a typed error naming it, never a TypeError from deep inside.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as t from 'io-ts'
import { err, type StorageError } from '../errors.js'
import { describeErrors } from '../oci/codecs.js'
import { DiffId, Digest } from '../oci/digest.js'
import { byteSource } from '../oci/stream.js'
import type { TaskControl } from './control.js'
import type { ExtractImageOptions, LayerMeta, PullOptions, PushOptions, SaveImageOptions } from './types.js'

const NonNegInt = t.refinement(t.number, (n) => Number.isSafeInteger(n) && n >= 0, 'NonNegativeInteger')

const LayerMetaC = t.intersection([
  t.type({ mediaType: t.string }),
  t.partial({
    digest: t.union([Digest, t.undefined]),
    diffId: t.union([DiffId, t.undefined]),
    size: t.union([NonNegInt, t.undefined]),
  }),
])

/** The layer description extractLayer was given. */
export const checkLayerMeta = (u: unknown): E.Either<StorageError, LayerMeta> =>
  pipe(
    LayerMetaC.decode(u),
    E.mapLeft((es) => err('CorruptLayer', { what: 'layer description (meta)', reason: describeErrors(es) })),
  )

/** A blob or tar given to extractLayer or apply. */
export const checkBytes = (u: unknown, what: string): E.Either<StorageError, AsyncIterable<Uint8Array>> =>
  byteSource(u, what)

const ExtractImageOptionsC = t.partial({
  name: t.union([t.string, t.undefined]),
  platform: t.union([t.string, t.undefined]),
})

/** extractImage's options. */
export const checkExtractImageOptions = (u: unknown): E.Either<StorageError, ExtractImageOptions> =>
  pipe(
    ExtractImageOptionsC.decode(u ?? {}),
    E.mapLeft((es) => err('InvalidName', { name: 'extractImage options', reason: describeErrors(es) })),
  )

const RegistryOptionsC = t.partial({
  insecure: t.union([t.boolean, t.undefined]),
  credentials: t.union([t.type({ username: t.string, password: t.string }), t.undefined]),
})

/** A registry host as references write it: `host[:port]` (a bracketed IPv6 address too). */
const RegistryHost = t.refinement(
  t.string,
  (h) => /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/.test(h),
  'a registry host[:port]',
)

const PullOptionsC = t.intersection([
  ExtractImageOptionsC,
  RegistryOptionsC,
  t.partial({ mirrors: t.union([t.readonlyArray(RegistryHost), t.undefined]) }),
])

/** pull's options. */
export const checkPullOptions = (u: unknown): E.Either<StorageError, PullOptions> =>
  pipe(
    PullOptionsC.decode(u ?? {}),
    E.mapLeft((es) => err('InvalidName', { name: 'pull options', reason: describeErrors(es) })),
  )

const PushOptionsC = t.intersection([
  RegistryOptionsC,
  t.partial({
    compression: t.union([t.literal('gzip'), t.literal('zstd'), t.literal('none'), t.undefined]),
    chunkSize: t.union([
      t.refinement(t.number, (n) => Number.isSafeInteger(n) && n > 0, 'a positive byte count'),
      t.undefined,
    ]),
  }),
])

/** push's options. */
export const checkPushOptions = (u: unknown): E.Either<StorageError, PushOptions> =>
  pipe(
    PushOptionsC.decode(u ?? {}),
    E.mapLeft((es) => err('InvalidName', { name: 'push options', reason: describeErrors(es) })),
  )

const SaveImageArgsC = t.type({
  dir: t.string,
  ref: t.refinement(t.string, (r) => r !== '', 'NonEmptyString'),
  options: t.partial({
    compression: t.union([t.literal('gzip'), t.literal('zstd'), t.literal('none'), t.undefined]),
  }),
})

/** saveImage's layout directory, ref name and options. */
export const checkSaveImageArgs = (
  dir: unknown,
  ref: unknown,
  options: unknown,
): E.Either<StorageError, { dir: string; ref: string; options: SaveImageOptions }> =>
  pipe(
    SaveImageArgsC.decode({ dir, ref, options: options ?? {} }),
    E.mapLeft((es) => err('InvalidName', { name: 'saveImage arguments', reason: describeErrors(es) })),
  )

const TaskControlC = t.partial({
  onProgress: t.union([t.Function, t.undefined]),
  signal: t.union([
    new t.Type<AbortSignal>(
      'AbortSignal',
      (u): u is AbortSignal => u instanceof AbortSignal,
      (u, c) => (u instanceof AbortSignal ? t.success(u) : t.failure(u, c)),
      t.identity,
    ),
    t.undefined,
  ]),
})

/** A task's progress callback and abort signal. */
export const checkTaskControl = (u: unknown): E.Either<StorageError, TaskControl> =>
  pipe(
    TaskControlC.decode(u ?? {}),
    E.mapLeft((es) => err('InvalidName', { name: 'task control (onProgress, signal)', reason: describeErrors(es) })),
    E.map((c) => c as TaskControl),
  )

const ArchiveArgsC = t.type({
  path: t.refinement(t.string, (p) => p !== '', 'NonEmptyString'),
  ref: t.union([t.string, t.undefined]),
})

/** extractArchive's file and repo tag. */
export const checkArchiveArgs = (
  path: unknown,
  ref: unknown,
): E.Either<StorageError, { path: string; ref: string | undefined }> =>
  pipe(
    ArchiveArgsC.decode({ path, ref }),
    E.mapLeft((es) => err('InvalidName', { name: 'extractArchive arguments', reason: describeErrors(es) })),
  )
