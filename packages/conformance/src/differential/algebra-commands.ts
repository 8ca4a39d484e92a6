/** Random driver-algebra calls, the same on both sides: namespace changes, properties, list, diff. */
import type { AnyName, DatasetName, PropertyName, PropertyValue, SnapshotName } from '@stratum/core'
import fc from 'fast-check'
import { compareDiffs, compareLists, MOUNT_NAMES, PROP_MODULE } from './compare.js'
import { type Side, type Sides, both, full, relName } from './sides.js'
import { anyNames, datasetOfSnap, datasets, diffPairs, dsView, movable, pick } from './view.js'
import { DCmd, type DWorld, nsCall } from './world.js'

/** dataset name components: never file names (see MOUNT_NAMES) */
const COMPONENTS = MOUNT_NAMES.filter((n) => n !== 'w')
const SHORTS = ['s1', 's2', 's3'] as const
const VALUES = ['x', 'y', 'a longer value'] as const
export const PROPS = [`${PROP_MODULE}a`, `${PROP_MODULE}b`] as const

const shown = (rel: string): string => `$${rel}`
const ds = (side: Side, rel: string): DatasetName => full(side, rel) as DatasetName
const snap = (side: Side, rel: string): SnapshotName => full(side, rel) as SnapshotName
const any = (side: Side, rel: string): AnyName => full(side, rel) as AnyName
const propsOpt = (p: boolean): { properties?: Record<PropertyName, string> } =>
  (p ? { properties: { [PROPS[0]]: 'at-creation' } as Record<PropertyName, string> } : {})

class Create extends DCmd {
  constructor(readonly parent: number, readonly rel: string, readonly parents: boolean, readonly props: boolean) { super() }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = `${pick(datasets(w.v), this.parent)!}/${this.rel}`
    this.label = shown(rel)
    await nsCall(w, s, s, `create(${this.label}${this.parents ? ', -p' : ''})`, (side) => side.driver.create(ds(side, rel), { parents: this.parents, ...propsOpt(this.props) }))
  }
  override shape(): string { return `create(#${this.parent}/${this.rel}${this.parents ? ', parents' : ''}${this.props ? ', props' : ''})` }
}

class Snapshot extends DCmd {
  constructor(readonly ds: number, readonly short: string, readonly recursive: boolean, readonly props: boolean) { super() }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = `${pick(datasets(w.v), this.ds)!}@${this.short}`
    this.label = shown(rel)
    await nsCall(w, s, s, `snapshot(${this.label}${this.recursive ? ', -r' : ''})`, (side) => side.driver.snapshot(snap(side, rel), { recursive: this.recursive, ...propsOpt(this.props) }))
  }
  override shape(): string { return `snapshot(#${this.ds}@${this.short}${this.recursive ? ', recursive' : ''}${this.props ? ', props' : ''})` }
}

class Clone extends DCmd {
  constructor(readonly snap: number, readonly parent: number, readonly rel: string) { super() }
  override check(w: Readonly<DWorld>): boolean { return w.v.snapshots.length > 0 }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const origin = pick(w.v.snapshots, this.snap)!
    const target = `${pick(datasets(w.v), this.parent)!}/${this.rel}`
    this.label = `${shown(origin)} -> ${shown(target)}`
    await nsCall(w, s, s, `clone(${this.label})`, (side) => side.driver.clone(snap(side, origin), ds(side, target)))
  }
  override shape(): string { return `clone(@#${this.snap}, #${this.parent}/${this.rel})` }
}

class Promote extends DCmd {
  constructor(readonly ds: number) { super() }
  // promoting a clone of the base's own snapshot would make the base a clone, which a later destroy -R could take away
  override check(w: Readonly<DWorld>): boolean {
    const rel = pick(movable(w.v), this.ds)
    const d = rel === undefined ? undefined : dsView(w.v, rel)
    return d !== undefined && (d.origin === null || datasetOfSnap(d.origin) !== '')
  }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = pick(movable(w.v), this.ds)!
    this.label = shown(rel)
    await nsCall(w, s, s, `promote(${this.label})`, (side) => side.driver.promote(ds(side, rel)))
  }
  override shape(): string { return `promote(#${this.ds})` }
}

class Rename extends DCmd {
  constructor(readonly ds: number, readonly parent: number, readonly rel: string, readonly parents: boolean) { super() }
  override check(w: Readonly<DWorld>): boolean { return movable(w.v).length > 0 }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const from = pick(movable(w.v), this.ds)!
    const to = `${pick(datasets(w.v), this.parent)!}/${this.rel}`
    this.label = `${shown(from)} -> ${shown(to)}`
    await nsCall(w, s, s, `rename(${this.label}${this.parents ? ', -p' : ''})`, (side) => side.driver.rename(ds(side, from), ds(side, to), { parents: this.parents }))
  }
  override shape(): string { return `rename(#${this.ds}, #${this.parent}/${this.rel}${this.parents ? ', parents' : ''})` }
}

class RenameSnapshot extends DCmd {
  constructor(readonly snap: number, readonly short: string, readonly otherDs: number | undefined) { super() }
  override check(w: Readonly<DWorld>): boolean { return w.v.snapshots.length > 0 }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const from = pick(w.v.snapshots, this.snap)!
    const to = `${this.otherDs === undefined ? datasetOfSnap(from) : pick(datasets(w.v), this.otherDs)!}@${this.short}`
    this.label = `${shown(from)} -> ${shown(to)}`
    await nsCall(w, s, s, `renameSnapshot(${this.label})`, (side) => side.driver.renameSnapshot(snap(side, from), snap(side, to)))
  }
  override shape(): string { return `renameSnapshot(@#${this.snap}, ${this.otherDs === undefined ? '' : `#${this.otherDs}`}@${this.short})` }
}

class Destroy extends DCmd {
  constructor(readonly target: number, readonly recursive: boolean, readonly dependents: boolean) { super() }
  override check(w: Readonly<DWorld>): boolean { return anyNames(w.v).length > 0 }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = pick(anyNames(w.v), this.target)!
    this.label = shown(rel)
    await nsCall(w, s, s, `destroy(${this.label}${this.recursive ? ' -r' : ''}${this.dependents ? ' -R' : ''})`,
      (side) => side.driver.destroy(any(side, rel), { recursive: this.recursive, dependents: this.dependents }))
  }
  override shape(): string { return `destroy(#${this.target}${this.recursive ? ', recursive' : ''}${this.dependents ? ', dependents' : ''})` }
}

/** set (value) or inherit (no value) a user property on the base, a dataset or a snapshot */
class SetProperty extends DCmd {
  constructor(readonly target: number, readonly prop: number, readonly value: string | undefined) { super() }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = pick(['', ...anyNames(w.v)], this.target)!
    const p = pick(PROPS, this.prop)! as PropertyName
    this.label = `${shown(rel)} ${p}${this.value === undefined ? '' : `=${this.value}`}`
    if (this.value === undefined) await both(s, `inheritProperty(${this.label})`, (side) => side.driver.inheritProperty(any(side, rel), p))
    else await both(s, `setProperty(${this.label})`, (side) => side.driver.setProperty(any(side, rel), p, this.value!))
  }
  override shape(): string { return this.value === undefined ? `inherit(#${this.target}, ${this.prop})` : `set(#${this.target}, ${this.prop}, ${this.value})` }
}

class GetProperty extends DCmd {
  constructor(readonly target: number, readonly prop: number) { super() }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = pick(['', ...anyNames(w.v)], this.target)!
    const p = pick(PROPS, this.prop)! as PropertyName
    this.label = `${shown(rel)} ${p}`
    const norm = (side: Side, x: PropertyValue | undefined): string =>
      (x === undefined ? 'unset' : `${x.value} (${x.source.kind === 'local' ? 'local' : `inherited from ${relName(side, x.source.from)}`})`)
    await both(s, `getProperty(${this.label})`, (side) => side.driver.getProperty(any(side, rel), p), (x, y) => {
      const [nx, ny] = [norm(s.a, x), norm(s.b, y)]
      return nx === ny ? undefined : `values differ: a ${nx}, b ${ny}`
    })
  }
  override shape(): string { return `get(#${this.target}, ${this.prop})` }
}

class List extends DCmd {
  constructor(readonly root: number) { super() }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = pick(datasets(w.v), this.root)!
    this.label = shown(rel)
    await both(s, `list(${this.label})`, (side) => side.driver.list(ds(side, rel)), compareLists(s))
  }
  override shape(): string { return `list(#${this.root})` }
}

/** diff between a pair valid by the contract (when there is one and `valid`), else any pair of a snapshot and another name */
class Diff extends DCmd {
  constructor(readonly pair: number, readonly valid: boolean) { super() }
  override check(w: Readonly<DWorld>): boolean { return w.v.snapshots.length > 0 }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const valid = diffPairs(w.v, true)
    const [from, to] = pick(this.valid && valid.length > 0 ? valid : diffPairs(w.v, false), this.pair)!
    this.label = `${shown(from)} ${shown(to)}`
    await both(s, `diff(${this.label})`, (side) => side.driver.diff(snap(side, from), any(side, to)), compareDiffs)
  }
  override shape(): string { return `diff(${this.pair}${this.valid ? ', valid' : ''})` }
}

const nat = fc.nat({ max: 1000 })
const comps = fc.array(fc.constantFrom(...COMPONENTS), { minLength: 1, maxLength: 2 }).map((c) => c.join('/'))
const rare = (b: number): fc.Arbitrary<boolean> => fc.oneof({ arbitrary: fc.constant(false), weight: b }, { arbitrary: fc.constant(true), weight: 1 })

export const algebraCommands = {
  create: fc.tuple(nat, comps, fc.boolean(), rare(4)).map(([p, rel, parents, pr]) => new Create(p, rel, parents, pr)),
  snapshot: fc.tuple(nat, fc.constantFrom(...SHORTS), fc.boolean(), rare(6)).map(([d, sh, rec, pr]) => new Snapshot(d, sh, rec, pr)),
  clone: fc.tuple(nat, nat, comps).map(([sn, p, rel]) => new Clone(sn, p, rel)),
  promote: nat.map((d) => new Promote(d)),
  rename: fc.tuple(nat, nat, comps, fc.boolean()).map(([d, p, rel, parents]) => new Rename(d, p, rel, parents)),
  renameSnapshot: fc.tuple(nat, fc.constantFrom(...SHORTS), fc.option(nat, { nil: undefined, freq: 4 })).map(([sn, short, o]) => new RenameSnapshot(sn, short, o)),
  destroy: fc.tuple(nat, fc.boolean(), fc.boolean()).map(([t, rec, dep]) => new Destroy(t, rec, dep)),
  setProperty: fc.tuple(nat, nat, fc.option(fc.constantFrom(...VALUES), { nil: undefined, freq: 3 })).map(([t, p, v]) => new SetProperty(t, p, v)),
  getProperty: fc.tuple(nat, nat).map(([t, p]) => new GetProperty(t, p)),
  list: nat.map((r) => new List(r)),
  diff: fc.tuple(nat, rare(3).map((x) => !x)).map(([p, v]) => new Diff(p, v)),
}
