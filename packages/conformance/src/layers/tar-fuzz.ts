/**
 * The tar fuzz property (issue 12 item 4): random and mutated tars through applyLayer. Every
 * run settles within a bound with Right or a typed Left (never a defect, an unsettled task or
 * an unhandled rejection), a CorruptLayer names an entry or the byte where the archive broke,
 * and nothing outside the root changes. Fixed seed and few runs by default (CI); for a larger
 * run by hand: STRATUM_TAR_FUZZ_RUNS=20000 (and STRATUM_TAR_FUZZ_SEED for another seed; the
 * budget's `tarFuzz`).
 */
import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { ALL_ERROR_TAGS, applyLayer, describeError, type Capabilities, type FileTree } from '@stratum/core'
import type { SuiteContext } from '../context.js'
import type { FuzzTally } from '../robustness.js'
import { hostileBed, streamOf } from './apply-tar.js'
import { fuzzTarArb } from './tar-fuzz-gen.js'

/** A run that has not settled after this long counts as a hang. */
export const SETTLE_MS = 10_000
const LIMITS = { maxEntries: 1000, maxFileBytes: 1 << 20, maxTotalBytes: 4 << 20 }

/**
 * Applies one fuzzed tar and checks that it settled with Right or a typed, named Left; counts
 * the outcome in `tally` when given.
 */
export const fuzzApply = async (
  tree: FileTree,
  tar: Uint8Array,
  capabilities: Capabilities,
  tally?: FuzzTally,
): Promise<void> => {
  let timer: NodeJS.Timeout | undefined
  const hang = new Promise<'unsettled'>((r) => {
    timer = setTimeout(() => r('unsettled'), SETTLE_MS)
  })
  const r = await Promise.race([
    applyLayer(tree, streamOf(tar, 333), { capabilities, limits: LIMITS })(),
    hang,
  ]).finally(() => clearTimeout(timer))
  expect(r, `applyLayer settled within ${SETTLE_MS} ms`).not.toBe('unsettled')
  if (r === 'unsettled') return
  if (tally !== undefined) tally.runs++
  if (E.isRight(r)) {
    if (tally !== undefined) tally.right++
    return
  }
  const e = r.left
  tally?.left.set(e._tag, (tally.left.get(e._tag) ?? 0) + 1)
  expect(ALL_ERROR_TAGS).toContain(e._tag)
  expect(e._tag === 'Io' && e.message.startsWith('applyLayer:'), `not a defect: ${describeError(e)}`).toBe(false)
  if (e._tag === 'CorruptLayer') expect(e.entry !== undefined || /byte \d+/.test(e.reason), describeError(e)).toBe(true)
}

export const tarFuzzChecks = (ctx: SuiteContext): void => {
  describe('layer tars: fuzzed', () => {
    // Property: any random or mutated tar applied settles within SETTLE_MS with Right or a typed Left naming where it broke, and the outside sentinel is unchanged.
    it('random and mutated tars settle with Right or a typed Left; nothing outside the root changes', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const bed = await hostileBed(ctx, driver, base, (x, y) => expect(x).toEqual(y))
        const { runs, seed } = ctx.budget.tarFuzz
        await fc.assert(
          fc.asyncProperty(fuzzTarArb(), async ({ tar }) => {
            await fuzzApply(bed.tree, tar, driver.capabilities, ctx.tally.tarFuzz)
            expect((await ctx.ok(bed.tree.lstat(''))).type).toBe('/')
          }),
          { numRuns: runs, seed, endOnFailure: true },
        )
        await bed.invariants()
      }))
  })
}
