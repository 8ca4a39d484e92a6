/** The driver oracle: every command runs on side a and side b, their results compared (sides.ts). */
import type { Oracle } from '../commands/oracle.js'
import { PROP_MODULE } from './compare.js'
import { driverFs } from './driver-fs.js'
import { type Side, type Sides, both, full } from './sides.js'
import { anyNames, datasets, dsView, movable } from './view.js'
import { type DWorld, nsCall } from './world.js'

export const PROPS = [`${PROP_MODULE}a`, `${PROP_MODULE}b`] as const

/** What the differential commands receive: the oracle, the name view and the two sides. */
export type DriverWorld = Oracle & DWorld & Sides

export const driverOracle = (w: DWorld, s: Sides): DriverWorld => ({
  v: w.v,
  chown: w.chown,
  a: s.a,
  b: s.b,
  tally: s.tally,
  datasets: () => datasets(w.v),
  movable: () => movable(w.v),
  snapshots: () => w.v.snapshots,
  originOf: (rel) => dsView(w.v, rel)?.origin ?? null,
  propertyTargets: () => ['', ...anyNames(w.v)],
  props: PROPS,
  modelLimits: false,
  call: async (what, side, _model, namespace) => {
    const call = (x: Side) => side(x.driver, (rel) => full(x, rel))
    if (namespace) await nsCall(w, s, what, call)
    else await both(s, what, call)
  },
  fs: driverFs(w, s),
})
