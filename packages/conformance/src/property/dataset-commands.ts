/** The model run's dataset commands: the algebra commands (commands/algebra.ts) with the model run's names and values. */
import fc from 'fast-check'
import { Clone, Create, Destroy, Promote, Rename, RenameSnapshot, SetProperty, Snapshot } from '../commands/algebra.js'
import { PROPS } from './world.js'

/** dataset name components: never file names (fs-commands), so a child's mountpoint never meets a file call */
const COMPONENTS = ['k', 'm', 'k-1'] as const
const SHORTS = ['s1', 's2', 's3'] as const
const VALUES = ['x', 'y', 'a longer value'] as const

const comps = fc.array(fc.constantFrom(...COMPONENTS), { minLength: 1, maxLength: 2 }).map((c) => c.join('/'))
const props = fc.option(fc.constant({ [PROPS[0]]: 'from-create' }), { nil: undefined })
const nat = fc.nat({ max: 1000 })

export const datasetCommands = {
  create: fc.tuple(nat, comps, fc.boolean(), props).map(([p, rel, parents, pr]) => new Create(p, rel, parents, pr)),
  snapshot: fc
    .tuple(nat, fc.constantFrom(...SHORTS), fc.boolean())
    .map(([d, s, rec]) => new Snapshot(d, s, rec, undefined)),
  clone: fc.tuple(nat, nat, comps).map(([s, p, rel]) => new Clone(s, p, rel)),
  promote: nat.map((d) => new Promote(d)),
  rename: fc.tuple(nat, nat, comps, fc.boolean()).map(([d, p, rel, parents]) => new Rename(d, p, rel, parents)),
  renameSnapshot: fc
    .tuple(nat, fc.constantFrom(...SHORTS), fc.option(nat, { nil: undefined, freq: 4 }))
    .map(([s, short, o]) => new RenameSnapshot(s, short, o)),
  destroy: fc.tuple(nat, fc.boolean(), fc.boolean()).map(([t, rec, dep]) => new Destroy(t, rec, dep)),
  property: fc
    .tuple(nat, nat, fc.option(fc.constantFrom(...VALUES), { nil: undefined, freq: 3 }))
    .map(([t, p, v]) => new SetProperty(t, p, v)),
}
