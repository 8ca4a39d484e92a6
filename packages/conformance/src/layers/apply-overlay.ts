/** applyLayer against the reference overlay of apply-model.ts, on random layer stacks. */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { SuiteContext } from '../context.js'
import { checkProperty } from '../property/config.js'
import { dsn, fsOf, snn } from '../checks/util.js'
import { applyEntries, dumpTree, layerRuns } from './apply-tar.js'
import { applyToModel, copyModel, dumpModel, emptyModel, entryArb, unknownMtimes } from './apply-model.js'
import { must } from './package-fixtures.js'

export const applyOverlayChecks = (ctx: SuiteContext, opts: { numRuns?: number } = {}): void => {
  describe('layer application: reference overlay', () => {
    // Property: a random layer stack applied layer by layer (each onto a clone of the previous snapshot) equals the reference overlay.
    it('a random layer stack applied with applyLayer equals the reference overlay', () =>
      ctx.withFixture(async ({ driver, base }) => {
        let run = 0
        await checkProperty(
          fc.asyncProperty(
            fc.array(fc.array(entryArb, { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 4 }),
            async (layers) => {
              run++
              let model = emptyModel()
              let prev: ReturnType<typeof snn> | undefined
              for (const [i, raw] of layers.entries()) {
                const ds = dsn(base, `r${run}-${i}`)
                if (prev === undefined) await must(driver.create(ds), 'create')
                else await must(driver.clone(prev, ds), 'clone')
                model = copyModel(model)
                const legal = applyToModel(model, raw)
                const tree = await fsOf(driver, ds)
                await must(() => applyEntries(tree, legal, driver.capabilities), `apply layer ${i}`)
                prev = snn(base, `r${run}-${i}@s`)
                await must(driver.snapshot(prev), 'snapshot')
              }
              const got = await dumpTree(await fsOf(driver, prev!))
              const want = dumpModel(model)
              for (const p of unknownMtimes(model)) if (got[p] !== undefined) got[p] = { ...got[p]!, mtimeMs: 0 }
              if (!driver.capabilities.chown)
                for (const p of Object.keys(want))
                  want[p] = { ...want[p]!, uid: got[p]?.uid ?? 0, gid: got[p]?.gid ?? 0 }
              expect(Object.fromEntries(Object.entries(got).map(([p, n]) => [p, { ...n, rdev: undefined }]))).toEqual(
                Object.fromEntries(Object.entries(want).map(([p, n]) => [p, { ...n, rdev: undefined }])),
              )
            },
          ),
          layerRuns(ctx.budget.property, opts.numRuns, 4),
        )
      }))
  })
}
