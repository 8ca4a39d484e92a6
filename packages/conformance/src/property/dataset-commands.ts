/** Model-run commands over datasets and snapshots: each compares the driver's outcome with the model's. */
import { type AnyName, type DatasetName, type PropertyName, type SnapshotName } from '@stratum/core'
import fc from 'fast-check'
import * as model from '../model/datasets.js'
import { dsByName, isWithinName, snapName } from '../model/state.js'
import { Cmd, PROPS, type Real, type World, anyNames, datasets, movable, pick, same, snapshots } from './world.js'

/** dataset name components: never file names (fs-commands), so a child's mountpoint never meets a file call */
const COMPONENTS = ['k', 'm', 'k-1'] as const
const SHORTS = ['s1', 's2', 's3'] as const
const VALUES = ['x', 'y', 'a longer value'] as const

const comps = fc.array(fc.constantFrom(...COMPONENTS), { minLength: 1, maxLength: 2 }).map((c) => c.join('/'))
const props = fc.option(fc.constant({ [PROPS[0]]: 'from-create' }), { nil: undefined })

const under = (w: World, parent: number, rel: string): string => `${pick(datasets(w.m), parent)!.name}/${rel}`

class Create extends Cmd {
  constructor(readonly parent: number, readonly rel: string, readonly parents: boolean, readonly props: Record<string, string> | undefined) { super() }
  override async run(w: World, r: Real): Promise<void> {
    const name = under(w, this.parent, this.rel)
    this.label = name
    await same(`create(${name})`, model.create(w.m, name, this.parents, this.props), r.driver.create(name as DatasetName, { parents: this.parents, ...(this.props ? { properties: this.props as Record<PropertyName, string> } : {}) }))
  }
  override shape(): string { return `create(#${this.parent}/${this.rel}${this.parents ? ', parents' : ''}${this.props ? ', props' : ''})` }
}

class Snapshot extends Cmd {
  constructor(readonly ds: number, readonly short: string, readonly recursive: boolean) { super() }
    override async run(w: World, r: Real): Promise<void> {
    const name = `${pick(datasets(w.m), this.ds)!.name}@${this.short}`
    this.label = name
    await same(`snapshot(${name})`, model.snapshot(w.m, name, this.recursive), r.driver.snapshot(name as SnapshotName, { recursive: this.recursive }))
  }
  override shape(): string { return `snapshot(#${this.ds}@${this.short}${this.recursive ? ', recursive' : ''})` }
}

class Clone extends Cmd {
  constructor(readonly snap: number, readonly parent: number, readonly rel: string) { super() }
  override check(w: Readonly<World>): boolean { return snapshots(w.m).length > 0 }
  override async run(w: World, r: Real): Promise<void> {
    const origin = snapName(w.m, pick(snapshots(w.m), this.snap)!)
    const target = under(w, this.parent, this.rel)
    this.label = `${origin} -> ${target}`
    await same(`clone(${this.label})`, model.clone(w.m, origin, target), r.driver.clone(origin as SnapshotName, target as DatasetName))
  }
  override shape(): string { return `clone(@#${this.snap}, #${this.parent}/${this.rel})` }
}

class Promote extends Cmd {
  constructor(readonly ds: number) { super() }
  // promoting a clone of the base's snapshot would make the base a clone, which `destroy -R` could then take away: left out
  override check(w: Readonly<World>): boolean {
    const d = pick(movable(w.m), this.ds)
    return d !== undefined && (d.origin === null || w.m.snapshots.get(d.origin)!.ds !== dsByName(w.m, w.m.base)!.id)
  }
  override async run(w: World, r: Real): Promise<void> {
    const name = pick(movable(w.m), this.ds)!.name
    this.label = name
    await same(`promote(${name})`, model.promote(w.m, name), r.driver.promote(name as DatasetName))
  }
  override shape(): string { return `promote(#${this.ds})` }
}

class Rename extends Cmd {
  constructor(readonly ds: number, readonly parent: number, readonly rel: string, readonly parents: boolean) { super() }
  private names(w: Readonly<World>): [string, string] {
    return [pick(movable(w.m), this.ds)!.name, under(w as World, this.parent, this.rel)]
  }
  // zfs rename -p creates the target's ancestors before it refuses a rename into the source's own subtree: left out
  override check(w: Readonly<World>): boolean { return movable(w.m).length > 0 && !(this.parents && isWithinName(this.names(w)[1], this.names(w)[0])) }
  override async run(w: World, r: Real): Promise<void> {
    const [from, to] = this.names(w)
    this.label = `${from} -> ${to}`
    await same(`rename(${this.label})`, model.rename(w.m, from, to, this.parents), r.driver.rename(from as DatasetName, to as DatasetName, { parents: this.parents }))
  }
  override shape(): string { return `rename(#${this.ds}, #${this.parent}/${this.rel}${this.parents ? ', parents' : ''})` }
}

class RenameSnapshot extends Cmd {
  constructor(readonly snap: number, readonly short: string, readonly otherDs: number | undefined) { super() }
  override check(w: Readonly<World>): boolean { return snapshots(w.m).length > 0 }
  override async run(w: World, r: Real): Promise<void> {
    const from = snapName(w.m, pick(snapshots(w.m), this.snap)!)
    const ds = this.otherDs === undefined ? from.slice(0, from.indexOf('@')) : pick(datasets(w.m), this.otherDs)!.name
    const to = `${ds}@${this.short}`
    this.label = `${from} -> ${to}`
    await same(`renameSnapshot(${this.label})`, model.renameSnapshot(w.m, from, to), r.driver.renameSnapshot(from as SnapshotName, to as SnapshotName))
  }
  override shape(): string { return `renameSnapshot(@#${this.snap}, ${this.otherDs === undefined ? '' : `#${this.otherDs}`}@${this.short})` }
}

class Destroy extends Cmd {
  constructor(readonly target: number, readonly recursive: boolean, readonly dependents: boolean) { super() }
  override check(w: Readonly<World>): boolean { return anyNames(w.m).length > 0 }
  override async run(w: World, r: Real): Promise<void> {
    const name = pick(anyNames(w.m), this.target)!
    this.label = name
    await same(`destroy(${name}${this.recursive ? ' -r' : ''}${this.dependents ? ' -R' : ''})`, model.destroy(w.m, name, this.recursive, this.dependents), r.driver.destroy(name as AnyName, { recursive: this.recursive, dependents: this.dependents }))
  }
  override shape(): string { return `destroy(#${this.target}${this.recursive ? ', recursive' : ''}${this.dependents ? ', dependents' : ''})` }
}

class SetProperty extends Cmd {
  constructor(readonly target: number, readonly prop: number, readonly value: string | undefined) { super() }
  override check(w: Readonly<World>): boolean { return anyNames(w.m).length > 0 }
  override async run(w: World, r: Real): Promise<void> {
    const name = pick(anyNames(w.m), this.target)!
    const p = pick(PROPS, this.prop)!
    this.label = `${name} ${p}${this.value === undefined ? '' : `=${this.value}`}`
    if (this.value === undefined) await same(`inheritProperty(${this.label})`, model.inheritProperty(w.m, name, p), r.driver.inheritProperty(name as AnyName, p as PropertyName))
    else await same(`setProperty(${this.label})`, model.setProperty(w.m, name, p, this.value), r.driver.setProperty(name as AnyName, p as PropertyName, this.value))
  }
  override shape(): string { return this.value === undefined ? `inherit(#${this.target}, ${this.prop})` : `set(#${this.target}, ${this.prop}, ${this.value})` }
}

const nat = fc.nat({ max: 1000 })

export const datasetCommands = {
  create: fc.tuple(nat, comps, fc.boolean(), props).map(([p, rel, parents, pr]) => new Create(p, rel, parents, pr)),
  snapshot: fc.tuple(nat, fc.constantFrom(...SHORTS), fc.boolean()).map(([d, s, rec]) => new Snapshot(d, s, rec)),
  clone: fc.tuple(nat, nat, comps).map(([s, p, rel]) => new Clone(s, p, rel)),
  promote: nat.map((d) => new Promote(d)),
  rename: fc.tuple(nat, nat, comps, fc.boolean()).map(([d, p, rel, parents]) => new Rename(d, p, rel, parents)),
  renameSnapshot: fc.tuple(nat, fc.constantFrom(...SHORTS), fc.option(nat, { nil: undefined, freq: 4 })).map(([s, short, o]) => new RenameSnapshot(s, short, o)),
  destroy: fc.tuple(nat, fc.boolean(), fc.boolean()).map(([t, rec, dep]) => new Destroy(t, rec, dep)),
  property: fc.tuple(nat, nat, fc.option(fc.constantFrom(...VALUES), { nil: undefined, freq: 3 })).map(([t, p, v]) => new SetProperty(t, p, v)),
}
