/**
 * Content digests as OCI uses them: `sha256:<64 lower-case hex>`.
 * A `DiffId` is the digest of a layer's uncompressed tar; a `ChainId` names a stack of layers:
 * chainID(L1) = diffID(L1), chainID(Ln) = sha256(chainID(Ln-1) + " " + diffID(Ln)).
 */
import { createHash } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { err, type StorageError } from '../errors.js'

const DIGEST_RE = /^sha256:[0-9a-f]{64}$/

/** The brand of a `Digest`. */
export interface DigestBrand {
  readonly Digest: unique symbol
}
/** The brand of a `DiffId`. */
export interface DiffIdBrand {
  readonly DiffId: unique symbol
}
/** The brand of a `ChainId`. */
export interface ChainIdBrand {
  readonly ChainId: unique symbol
}

/** Any sha256 content digest. */
export const Digest = t.brand(t.string, (s): s is t.Branded<string, DigestBrand> => DIGEST_RE.test(s), 'Digest')
export type Digest = t.TypeOf<typeof Digest>

/** The digest of a layer's uncompressed tar stream. */
export const DiffId = t.brand(Digest, (s): s is t.Branded<Digest, DiffIdBrand> => DIGEST_RE.test(s), 'DiffId')
export type DiffId = t.TypeOf<typeof DiffId>

/** The identity of a layer together with all layers below it. */
export const ChainId = t.brand(Digest, (s): s is t.Branded<Digest, ChainIdBrand> => DIGEST_RE.test(s), 'ChainId')
export type ChainId = t.TypeOf<typeof ChainId>

const parseWith =
  <A>(codec: t.Type<A, string, unknown>, kind: string) =>
  (s: string): E.Either<StorageError, A> =>
    codec.is(s) ? E.right(s as A) : E.left(err('InvalidName', { name: s, reason: `not a ${kind} (sha256:<64 hex>)` }))

/** Parses `sha256:<64 hex>` as a digest: InvalidName otherwise. */
export const parseDigest: (s: string) => E.Either<StorageError, Digest> = parseWith(Digest, 'digest')
/** Parses `sha256:<64 hex>` as a diffID: InvalidName otherwise. */
export const parseDiffId: (s: string) => E.Either<StorageError, DiffId> = parseWith(DiffId, 'diffID')
/** Parses `sha256:<64 hex>` as a chainID: InvalidName otherwise. */
export const parseChainId: (s: string) => E.Either<StorageError, ChainId> = parseWith(ChainId, 'chainID')

/** `sha256:<hex>` of bytes or a string (UTF-8). */
export const sha256 = (data: Uint8Array | string): Digest =>
  `sha256:${createHash('sha256').update(data).digest('hex')}` as Digest

/** The 64 hex digits of a digest. */
export const digestHex = (d: Digest): string => d.slice('sha256:'.length)

/** Treat a finished stream's digest as a diffID (it is one by construction). */
export const asDiffId = (d: Digest): DiffId => d as DiffId

/** chainID of a layer over `parent` ('empty' for the first layer). */
export const chainIdOf = (parent: ChainId | 'empty', diffId: DiffId): ChainId =>
  (parent === 'empty' ? diffId : sha256(`${parent} ${diffId}`)) as unknown as ChainId

/** chainIDs of every prefix of a layer stack, bottom first. */
export const chainIds = (diffIds: readonly DiffId[]): ChainId[] => {
  const out: ChainId[] = []
  let parent: ChainId | 'empty' = 'empty'
  for (const d of diffIds) {
    parent = chainIdOf(parent, d)
    out.push(parent)
  }
  return out
}
