/**
 * The robustness tally of one `runConformance` call, printed once after the crash and
 * concurrency groups:
 *   stratum-robustness: N crash points exercised, M concurrent scenarios run, 0 lost, K hostile applies checked ...
 * Groups add real counts as they run; `lost` counts things a check found missing or changed
 * (a committed layer, a container) before it failed.
 */
import { describe, expect, it } from 'vitest'

export interface RobustnessTally {
  crashPoints: number
  concurrentScenarios: number
  lost: number
  /** hostile applies (named vectors and mixed-property runs) whose invariants were checked and held */
  hostileApplies: number
  readonly tarFuzz: FuzzTally
}

/** Fuzzed tars applied: how many settled, how many applied, and the tags of the refusals. */
export interface FuzzTally {
  runs: number
  right: number
  readonly left: Map<string, number>
}

export const newTally = (): RobustnessTally => ({
  crashPoints: 0,
  concurrentScenarios: 0,
  lost: 0,
  hostileApplies: 0,
  tarFuzz: { runs: 0, right: 0, left: new Map() },
})

const fuzzPart = (f: FuzzTally): string =>
  `tar fuzz: ${f.runs} runs, ${f.right} applied, refused: ${[...f.left].map(([t, n]) => `${t} ${n}`).join(', ') || 'none'}`

export const robustnessLine = (t: RobustnessTally): string =>
  `stratum-robustness: ${t.crashPoints} crash points exercised, ${t.concurrentScenarios} concurrent scenarios run, ${t.lost} lost, ` +
  `${t.hostileApplies} hostile applies checked with nothing outside the root changed, ${fuzzPart(t.tarFuzz)}`

/** Registered after the crash and concurrency groups: prints the line once and fails if anything was lost. */
export const robustnessSummaryGroup = (ctx: { readonly tally: RobustnessTally }): void => {
  describe('robustness summary', () => {
    it('prints the tally; nothing was lost', () => {
      console.log(robustnessLine(ctx.tally))
      expect(ctx.tally.lost).toBe(0)
    })
  })
}
