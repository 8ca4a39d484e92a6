/**
 * @stratum/conformance: the one suite every Stratum driver passes.
 *
 *   import { runConformance } from '@stratum/conformance'
 *   runConformance({ name: 'sim', factory: async () => ({ driver, base, cleanup: async () => {} }) })
 *
 * Each test gets a fresh fixture from `factory`. Optional features are gated by
 * `driver.capabilities`, never by the driver's name.
 */
import { describe, it } from 'vitest'
import { PARTS, type Part } from './budget.js'
import { capabilityChecks } from './checks/capabilities.js'
import { cloneChecks } from './checks/clone.js'
import { createChecks } from './checks/create.js'
import { destroyChecks } from './checks/destroy.js'
import { diffChecks } from './checks/diff.js'
import { fsChecks } from './checks/fs.js'
import { listChecks } from './checks/list.js'
import { mountChecks } from './checks/mounts.js'
import { nativeChecks } from './checks/native.js'
import { promoteChecks } from './checks/promote.js'
import { propertyChecks } from './checks/properties.js'
import { renameChecks } from './checks/rename.js'
import { snapshotChecks } from './checks/snapshot.js'
import { spaceChecks } from './checks/space.js'
import { tagCoverage } from './checks/tags.js'
import { concurrencyGroup } from './concurrency/in-process.js'
import { type FeatureGroup, makeContext } from './context.js'
import { crashEveryCallGroup } from './crash/every-call.js'
import { storeCrashGroup } from './crash/store-crash.js'
import type { ConformanceOptions } from './fixture.js'
import { hostileGroups, layerGroups } from './layers/index.js'
import { modelProperties } from './property/properties.js'
import { robustnessSummaryGroup } from './robustness.js'

export type { ConformanceOptions, Fixture } from './fixture.js'
export type { FeatureGroup, SuiteContext } from './context.js'
export {
  budgetFromEnv,
  DEFAULT_BUDGET,
  type Budget,
  type CrashBudget,
  type DifferentialBudget,
  type Part,
  type PropertyBudget,
} from './budget.js'
export { runDifferential, Divergence, type DifferentialOptions, type DifferentialReport } from './differential/index.js'
export { runProcessChecks, type KillSettings, type ProcessCheck, type ProcessChecksOptions } from './processes/index.js'

/** The named lifecycle checks of the driver algebra, one file per feature. */
export const algebraGroups: readonly FeatureGroup[] = [
  capabilityChecks,
  createChecks,
  snapshotChecks,
  cloneChecks,
  promoteChecks,
  renameChecks,
  destroyChecks,
  propertyChecks,
  nativeChecks,
  mountChecks,
  spaceChecks,
  listChecks,
  diffChecks,
  fsChecks,
]

/**
 * The parts of the suite, in order. `algebra`: the named checks, then tag coverage (it reads
 * the tags they recorded), then the model-based properties. `layers`: the layer algorithms.
 * `hostile`: hostile and fuzzed layers. `crash`: crash safety and concurrency of the store.
 * The robustness tally of what the last three exercised comes after them.
 */
export const PART_GROUPS: Readonly<Record<Part, readonly FeatureGroup[]>> = {
  algebra: [...algebraGroups, tagCoverage, modelProperties],
  layers: layerGroups,
  hostile: hostileGroups,
  crash: [storeCrashGroup, crashEveryCallGroup, concurrencyGroup],
}

/**
 * Registers the parts of the suite the budget names (default: all) as vitest describe/it
 * blocks, among the parts this entry point covers (`opts.parts`, default all: a slow driver
 * splits the suite over several test files that run side by side); a covered part the budget
 * leaves out shows as one visible skipped test.
 */
export function runConformance(opts: ConformanceOptions): void {
  const ctx = makeContext(opts)
  const covered = PARTS.filter((p) => opts.parts === undefined || opts.parts.includes(p))
  describe(`conformance: ${opts.name}`, () => {
    for (const part of covered) {
      if (ctx.budget.parts.includes(part)) for (const group of PART_GROUPS[part]) group(ctx)
      else it.skip(`${part} checks not selected (budget parts, STRATUM_CONFORMANCE_GROUPS)`, () => {})
    }
    if (covered.some((p) => p !== 'algebra' && ctx.budget.parts.includes(p))) robustnessSummaryGroup(ctx)
  })
}
