/**
 * The robustness tally the suite prints once, after the crash and concurrency groups:
 *   stratum-robustness: N crash points exercised, M concurrent scenarios run, 0 lost
 * Groups add real counts as they run; `lost` counts things a check found missing or changed
 * (a committed layer, a container) before it failed. Other groups (hostile vectors) append
 * their own counts with `addRobustnessPart`.
 */
import { describe, expect, it } from 'vitest'
import type { FeatureGroup } from '../context.js'

export const robustness = { crashPoints: 0, concurrentScenarios: 0, lost: 0 }

const parts: (() => string)[] = []

/** Hook for other groups: `addRobustnessPart(() => \`${n} hostile vectors refused\`)` adds ", <text>" to the line. */
export const addRobustnessPart = (part: () => string): void => { parts.push(part) }

export const robustnessLine = (): string =>
  `stratum-robustness: ${robustness.crashPoints} crash points exercised, ${robustness.concurrentScenarios} concurrent scenarios run, ${robustness.lost} lost${parts.map((p) => `, ${p()}`).join('')}`

/** Registered after the crash and concurrency groups: prints the line once and fails if anything was lost. */
export const robustnessSummaryGroup: FeatureGroup = () => {
  describe('robustness summary', () => {
    it('prints the tally; nothing was lost', () => {
      console.log(robustnessLine())
      expect(robustness.lost).toBe(0)
    })
  })
}
