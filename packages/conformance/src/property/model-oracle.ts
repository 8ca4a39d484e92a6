/** The model oracle: commands run on the driver, each outcome compared with the reference model's. */
import type { Oracle } from '../commands/oracle.js'
import { dsByName, snapName } from '../model/state.js'
import { modelFs } from './model-fs.js'
import { PROPS, type Real, type World, datasets, movable, same, snapshots } from './world.js'

/** What the model-run commands receive: the oracle, the model world and the driver. */
export type ModelWorld = Oracle & World & Real

export const modelOracle = (w: World, r: Real): ModelWorld => {
  const base = w.m.base
  const rel = (name: string): string => name.slice(base.length)
  const full = (x: string): string => `${base}${x}`
  const snaps = (): string[] => snapshots(w.m).map((s) => rel(snapName(w.m, s)))
  const mov = (): string[] => movable(w.m).map((d) => rel(d.name))
  return {
    m: w.m,
    caps: w.caps,
    driver: r.driver,
    base: r.base,
    datasets: () => datasets(w.m).map((d) => rel(d.name)),
    movable: mov,
    snapshots: snaps,
    originOf: (x) => {
      const o = dsByName(w.m, full(x))?.origin ?? null
      return o === null ? null : rel(snapName(w.m, w.m.snapshots.get(o)!))
    },
    propertyTargets: () => [...mov(), ...snaps()],
    props: PROPS,
    modelLimits: true,
    call: async (what, side, model) => {
      await same(what, model(w.m, full), side(r.driver, full))
    },
    fs: modelFs(w, r),
  }
}
