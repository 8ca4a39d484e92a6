/**
 * Every StorageError tag the algebra can raise is raised, with the right fields, by at least
 * one named check. Registered after every other named check: it reads what they recorded.
 */
import { ALL_ERROR_TAGS, type StorageErrorTag } from '@stratum/core'
import { expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'

/** Tags no algebra call can raise on a fresh fixture with valid branded names, and why. */
export const NOT_RAISED_BY_THE_ALGEBRA: Readonly<Partial<Record<StorageErrorTag, string>>> = {
  Busy: 'needs a mount held open by another process; the algebra alone never holds one',
  PermissionDenied: 'the fixture runs with the privileges its driver needs',
  CorruptLayer: 'raised by the layer algorithms (extract), not by the driver algebra',
  DigestMismatch: 'raised by the layer algorithms (extract, commit), not by the driver algebra',
  UnsafePath: 'raised by the layer algorithms (tar entries), not by the driver algebra',
  ReferenceNotFound: "raised by the store's reference resolver, not by the driver algebra",
  AmbiguousReference: "raised by the store's reference resolver, not by the driver algebra",
  Cancelled: "raised by the store's tasks when the caller's AbortSignal fires, not by the driver algebra",
  Registry: 'raised by pulls from an OCI registry, not by the driver algebra',
}

/** Unsupported is raised on every driver: mount with canmount=off (and, without host paths, hostPath). */
export const expectedTags = (): StorageErrorTag[] =>
  ALL_ERROR_TAGS.filter((t) => NOT_RAISED_BY_THE_ALGEBRA[t] === undefined)

export const tagCoverage = (ctx: SuiteContext): void => {
  it('every error tag the algebra can raise was raised by a named check above', () =>
    ctx.withFixture(async () => {
      expect([...ctx.seenTags].sort()).toEqual(expectedTags().sort())
    }))
}
