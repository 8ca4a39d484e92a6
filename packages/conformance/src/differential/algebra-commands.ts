/**
 * The differential's random calls: the algebra commands (commands/algebra.ts) with the
 * differential's names and values, and its value checks: property values, list, diff.
 */
import type { AnyName, DatasetName, PropertyName, PropertyValue, SnapshotName } from '@stratum/core'
import fc from 'fast-check'
import { Clone, Create, Destroy, Promote, Rename, RenameSnapshot, SetProperty, Snapshot } from '../commands/algebra.js'
import { compareDiffs, compareLists, MOUNT_NAMES } from './compare.js'
import { PROPS } from './driver-oracle.js'
import { type Side, both, full, relName } from './sides.js'
import { anyNames, datasets, diffPairs, pick } from './view.js'
import { OracleCmd } from '../commands/oracle.js'
import type { DriverWorld } from './driver-oracle.js'

/** dataset name components: never file names (see MOUNT_NAMES) */
const COMPONENTS = MOUNT_NAMES.filter((n) => n !== 'w')
const SHORTS = ['s1', 's2', 's3'] as const
const VALUES = ['x', 'y', 'a longer value'] as const

const shown = (rel: string): string => `$${rel}`
const ds = (side: Side, rel: string): DatasetName => full(side, rel) as DatasetName
const snap = (side: Side, rel: string): SnapshotName => full(side, rel) as SnapshotName
const any = (side: Side, rel: string): AnyName => full(side, rel) as AnyName
/** the property a create or snapshot with `props` sets */
const atCreation = (p: boolean): Record<string, string> | undefined => (p ? { [PROPS[0]]: 'at-creation' } : undefined)

class GetProperty extends OracleCmd {
  constructor(
    readonly target: number,
    readonly prop: number,
  ) {
    super()
  }
  override async run(s: DriverWorld): Promise<void> {
    const rel = pick(['', ...anyNames(s.v)], this.target)!
    const p = pick(PROPS, this.prop)! as PropertyName
    this.label = `${shown(rel)} ${p}`
    const norm = (side: Side, x: PropertyValue | undefined): string =>
      x === undefined
        ? 'unset'
        : `${x.value} (${x.source.kind === 'local' ? 'local' : `inherited from ${relName(side, x.source.from)}`})`
    await both(
      s,
      `getProperty(${this.label})`,
      (side) => side.driver.getProperty(any(side, rel), p),
      (x, y) => {
        const [nx, ny] = [norm(s.a, x), norm(s.b, y)]
        return nx === ny ? undefined : `values differ: a ${nx}, b ${ny}`
      },
    )
  }
  override shape(): string {
    return `get(#${this.target}, ${this.prop})`
  }
}

class List extends OracleCmd {
  constructor(readonly root: number) {
    super()
  }
  override async run(s: DriverWorld): Promise<void> {
    const rel = pick(datasets(s.v), this.root)!
    this.label = shown(rel)
    await both(s, `list(${this.label})`, (side) => side.driver.list(ds(side, rel)), compareLists(s))
  }
  override shape(): string {
    return `list(#${this.root})`
  }
}

/** diff between a pair valid by the contract (when there is one and `valid`), else any pair of a snapshot and another name */
class Diff extends OracleCmd {
  constructor(
    readonly pair: number,
    readonly valid: boolean,
  ) {
    super()
  }
  override check(w: Readonly<DriverWorld>): boolean {
    return w.v.snapshots.length > 0
  }
  override async run(s: DriverWorld): Promise<void> {
    const valid = diffPairs(s.v, true)
    const [from, to] = pick(this.valid && valid.length > 0 ? valid : diffPairs(s.v, false), this.pair)!
    this.label = `${shown(from)} ${shown(to)}`
    await both(s, `diff(${this.label})`, (side) => side.driver.diff(snap(side, from), any(side, to)), compareDiffs)
  }
  override shape(): string {
    return `diff(${this.pair}${this.valid ? ', valid' : ''})`
  }
}

const nat = fc.nat({ max: 1000 })
const comps = fc.array(fc.constantFrom(...COMPONENTS), { minLength: 1, maxLength: 2 }).map((c) => c.join('/'))
const rare = (b: number): fc.Arbitrary<boolean> =>
  fc.oneof({ arbitrary: fc.constant(false), weight: b }, { arbitrary: fc.constant(true), weight: 1 })

export const algebraCommands = {
  create: fc
    .tuple(nat, comps, fc.boolean(), rare(4))
    .map(([p, rel, parents, pr]) => new Create(p, rel, parents, atCreation(pr))),
  snapshot: fc
    .tuple(nat, fc.constantFrom(...SHORTS), fc.boolean(), rare(6))
    .map(([d, sh, rec, pr]) => new Snapshot(d, sh, rec, atCreation(pr))),
  clone: fc.tuple(nat, nat, comps).map(([sn, p, rel]) => new Clone(sn, p, rel)),
  promote: nat.map((d) => new Promote(d)),
  rename: fc.tuple(nat, nat, comps, fc.boolean()).map(([d, p, rel, parents]) => new Rename(d, p, rel, parents)),
  renameSnapshot: fc
    .tuple(nat, fc.constantFrom(...SHORTS), fc.option(nat, { nil: undefined, freq: 4 }))
    .map(([sn, short, o]) => new RenameSnapshot(sn, short, o)),
  destroy: fc.tuple(nat, fc.boolean(), fc.boolean()).map(([t, rec, dep]) => new Destroy(t, rec, dep)),
  setProperty: fc
    .tuple(nat, nat, fc.option(fc.constantFrom(...VALUES), { nil: undefined, freq: 3 }))
    .map(([t, p, v]) => new SetProperty(t, p, v)),
  getProperty: fc.tuple(nat, nat).map(([t, p]) => new GetProperty(t, p)),
  list: nat.map((r) => new List(r)),
  diff: fc
    .tuple(
      nat,
      rare(3).map((x) => !x),
    )
    .map(([p, v]) => new Diff(p, v)),
}
