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
import { capabilityChecks } from './checks/capabilities.js'
import { cloneChecks } from './checks/clone.js'
import { createChecks } from './checks/create.js'
import { destroyChecks } from './checks/destroy.js'
import { diffChecks } from './checks/diff.js'
import { fsChecks } from './checks/fs.js'
import { listChecks } from './checks/list.js'
import { promoteChecks } from './checks/promote.js'
import { propertyChecks } from './checks/properties.js'
import { renameChecks } from './checks/rename.js'
import { snapshotChecks } from './checks/snapshot.js'
import { tagCoverage } from './checks/tags.js'
import { type FeatureGroup, makeContext } from './context.js'
import type { ConformanceOptions } from './fixture.js'
import { layerGroups } from './layers/index.js'
import { modelProperties } from './property/properties.js'

export type { ConformanceOptions, Fixture } from './fixture.js'
export type { FeatureGroup, SuiteContext } from './context.js'
export { runDifferential, Divergence, type DifferentialOptions, type DifferentialReport } from './differential/index.js'
export { runProcessChecks, killSettings, type KillSettings, type ProcessCheck, type ProcessChecksOptions } from './processes/index.js'

/** The named lifecycle checks of the driver algebra, one file per feature. */
export const algebraGroups: readonly FeatureGroup[] = [
  capabilityChecks, createChecks, snapshotChecks, cloneChecks, promoteChecks, renameChecks,
  destroyChecks, propertyChecks, listChecks, diffChecks, fsChecks,
]

/**
 * Which parts run, from STRATUM_CONFORMANCE_GROUPS: `algebra` (named checks, tag coverage,
 * model-based properties), `layers` (the layer algorithms), or both (unset or `all`).
 * A part left out shows as one visible skipped test naming the setting.
 */
export const selectedParts = (env: NodeJS.ProcessEnv = process.env): { algebra: boolean; layers: boolean } => {
  const v = (env['STRATUM_CONFORMANCE_GROUPS'] ?? 'all').trim()
  return { algebra: v === 'all' || v === '' || v === 'algebra', layers: v === 'all' || v === '' || v === 'layers' }
}

/** Registers the whole suite as vitest describe/it blocks. */
export function runConformance(opts: ConformanceOptions): void {
  const ctx = makeContext(opts)
  const parts = selectedParts()
  describe(`conformance: ${opts.name}`, () => {
    if (parts.algebra) {
      for (const group of algebraGroups) group(ctx)
      // reads the tags the named checks above recorded: keep it after them
      tagCoverage(ctx)
      modelProperties(ctx)
    } else it.skip('algebra checks not selected (STRATUM_CONFORMANCE_GROUPS)', () => {})
    if (parts.layers) for (const group of layerGroups) group(ctx)
    else it.skip('layer algorithm checks not selected (STRATUM_CONFORMANCE_GROUPS)', () => {})
  })
}
