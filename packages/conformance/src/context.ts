/**
 * The context every feature group receives: the backend's factory, a fresh-fixture runner,
 * and assertion helpers that record which error tags the suite has seen.
 */
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { type StorageError, type StorageErrorTag, describeError } from '@stratum/core'
import { expect } from 'vitest'
import { type Budget, DEFAULT_BUDGET } from './budget.js'
import type { ConformanceOptions, Fixture } from './fixture.js'
import { type RobustnessTally, newTally } from './robustness.js'

/** What every check group of the suite gets: the fixture factory, the budget, the tallies. */
export interface SuiteContext {
  readonly name: string
  /** a fresh fixture (the backend's factory) */
  readonly factory: () => Promise<Fixture>
  /** the sizes of this run */
  readonly budget: Budget
  /** what this run's crash, concurrency and hostile groups exercised */
  readonly tally: RobustnessTally
  /** runs `body` with a fresh fixture and always cleans it up */
  withFixture<A>(body: (f: Fixture) => Promise<A>): Promise<A>
  /** the value of a call that must succeed */
  ok<A>(te: TaskEither<StorageError, A>, what?: string): Promise<A>
  /** the error of a call that must fail with `tag` (and, when given, these fields) */
  fails<T extends StorageErrorTag>(
    te: TaskEither<StorageError, unknown>,
    tag: T,
    fields?: Partial<Extract<StorageError, { _tag: T }>>,
  ): Promise<Extract<StorageError, { _tag: T }>>
  /** tags raised by the named checks, as asserted */
  readonly seenTags: Set<StorageErrorTag>
}

/** One group of conformance checks, registered with vitest under the suite. */
export type FeatureGroup = (ctx: SuiteContext) => void

export const makeContext = (opts: ConformanceOptions): SuiteContext => {
  const seenTags = new Set<StorageErrorTag>()
  return {
    name: opts.name,
    factory: opts.factory,
    budget: opts.budget ?? DEFAULT_BUDGET,
    tally: newTally(),
    seenTags,
    async withFixture(body) {
      const f = await opts.factory()
      try {
        return await body(f)
      } finally {
        await f.cleanup()
      }
    },
    async ok(te, what) {
      const r = await te()
      if (E.isLeft(r)) throw new Error(`${what ?? 'call'}: expected success, got ${describeError(r.left)}`)
      return r.right
    },
    async fails(te, tag, fields) {
      const r = await te()
      if (E.isRight(r)) throw new Error(`expected ${tag}, but the call succeeded with ${JSON.stringify(r.right)}`)
      expect(r.left._tag, describeError(r.left)).toBe(tag)
      if (fields !== undefined) expect(r.left).toMatchObject(fields)
      seenTags.add(r.left._tag)
      return r.left as never
    },
  }
}
