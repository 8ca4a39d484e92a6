/** The driver-algebra commands, written once: namespace changes and user properties. */
import type { AnyName, DatasetName, PropertyName, SnapshotName } from '@stratum/core'
import * as model from '../model/datasets.js'
import { type Oracle, OracleCmd, anyNames, datasetOfSnap, pick, shown } from './oracle.js'

type Props = Readonly<Record<string, string>> | undefined

const ds = (f: (rel: string) => string, rel: string): DatasetName => f(rel) as DatasetName
const snap = (f: (rel: string) => string, rel: string): SnapshotName => f(rel) as SnapshotName
const withProps = (p: Props): { properties?: Record<PropertyName, string> } =>
  p === undefined ? {} : { properties: p as Record<PropertyName, string> }
const isWithin = (rel: string, anc: string): boolean => rel === anc || rel.startsWith(`${anc}/`)

export class Create extends OracleCmd {
  constructor(
    readonly parent: number,
    readonly rel: string,
    readonly parents: boolean,
    readonly props: Props,
  ) {
    super()
  }
  override async run(o: Oracle): Promise<void> {
    const rel = `${pick(o.datasets(), this.parent)!}/${this.rel}`
    this.label = shown(rel)
    await o.call(
      `create(${this.label}${this.parents ? ', -p' : ''})`,
      (d, f) => d.create(ds(f, rel), { parents: this.parents, ...withProps(this.props) }),
      (m, f) => model.create(m, f(rel), this.parents, this.props),
      true,
    )
  }
  override shape(): string {
    return `create(#${this.parent}/${this.rel}${this.parents ? ', parents' : ''}${this.props ? ', props' : ''})`
  }
}

export class Snapshot extends OracleCmd {
  constructor(
    readonly ds: number,
    readonly short: string,
    readonly recursive: boolean,
    readonly props: Props,
  ) {
    super()
  }
  override async run(o: Oracle): Promise<void> {
    const rel = `${pick(o.datasets(), this.ds)!}@${this.short}`
    this.label = shown(rel)
    await o.call(
      `snapshot(${this.label}${this.recursive ? ', -r' : ''})`,
      (d, f) => d.snapshot(snap(f, rel), { recursive: this.recursive, ...withProps(this.props) }),
      (m, f) => model.snapshot(m, f(rel), this.recursive, this.props),
      true,
    )
  }
  override shape(): string {
    return `snapshot(#${this.ds}@${this.short}${this.recursive ? ', recursive' : ''}${this.props ? ', props' : ''})`
  }
}

export class Clone extends OracleCmd {
  constructor(
    readonly snap: number,
    readonly parent: number,
    readonly rel: string,
  ) {
    super()
  }
  override check(o: Readonly<Oracle>): boolean {
    return o.snapshots().length > 0
  }
  override async run(o: Oracle): Promise<void> {
    const origin = pick(o.snapshots(), this.snap)!
    const target = `${pick(o.datasets(), this.parent)!}/${this.rel}`
    this.label = `${shown(origin)} -> ${shown(target)}`
    await o.call(
      `clone(${this.label})`,
      (d, f) => d.clone(snap(f, origin), ds(f, target)),
      (m, f) => model.clone(m, f(origin), f(target)),
      true,
    )
  }
  override shape(): string {
    return `clone(@#${this.snap}, #${this.parent}/${this.rel})`
  }
}

export class Promote extends OracleCmd {
  constructor(readonly ds: number) {
    super()
  }
  // promoting a clone of the base's own snapshot would make the base a clone, which a later destroy -R could take away
  override check(o: Readonly<Oracle>): boolean {
    const rel = pick(o.movable(), this.ds)
    const origin = rel === undefined ? undefined : o.originOf(rel)
    return origin !== undefined && (origin === null || datasetOfSnap(origin) !== '')
  }
  override async run(o: Oracle): Promise<void> {
    const rel = pick(o.movable(), this.ds)!
    this.label = shown(rel)
    await o.call(
      `promote(${this.label})`,
      (d, f) => d.promote(ds(f, rel)),
      (m, f) => model.promote(m, f(rel)),
      true,
    )
  }
  override shape(): string {
    return `promote(#${this.ds})`
  }
}

export class Rename extends OracleCmd {
  constructor(
    readonly ds: number,
    readonly parent: number,
    readonly rel: string,
    readonly parents: boolean,
  ) {
    super()
  }
  private names(o: Readonly<Oracle>): [string, string] {
    return [pick(o.movable(), this.ds)!, `${pick(o.datasets(), this.parent)!}/${this.rel}`]
  }
  // zfs rename -p creates the target's ancestors before it refuses a rename into the source's own subtree: not in the model
  override check(o: Readonly<Oracle>): boolean {
    if (o.movable().length === 0) return false
    const [from, to] = this.names(o)
    return !(o.modelLimits && this.parents && isWithin(to, from))
  }
  override async run(o: Oracle): Promise<void> {
    const [from, to] = this.names(o)
    this.label = `${shown(from)} -> ${shown(to)}`
    await o.call(
      `rename(${this.label}${this.parents ? ', -p' : ''})`,
      (d, f) => d.rename(ds(f, from), ds(f, to), { parents: this.parents }),
      (m, f) => model.rename(m, f(from), f(to), this.parents),
      true,
    )
  }
  override shape(): string {
    return `rename(#${this.ds}, #${this.parent}/${this.rel}${this.parents ? ', parents' : ''})`
  }
}

export class RenameSnapshot extends OracleCmd {
  constructor(
    readonly snap: number,
    readonly short: string,
    readonly otherDs: number | undefined,
  ) {
    super()
  }
  override check(o: Readonly<Oracle>): boolean {
    return o.snapshots().length > 0
  }
  override async run(o: Oracle): Promise<void> {
    const from = pick(o.snapshots(), this.snap)!
    const to = `${this.otherDs === undefined ? datasetOfSnap(from) : pick(o.datasets(), this.otherDs)!}@${this.short}`
    this.label = `${shown(from)} -> ${shown(to)}`
    await o.call(
      `renameSnapshot(${this.label})`,
      (d, f) => d.renameSnapshot(snap(f, from), snap(f, to)),
      (m, f) => model.renameSnapshot(m, f(from), f(to)),
      true,
    )
  }
  override shape(): string {
    return `renameSnapshot(@#${this.snap}, ${this.otherDs === undefined ? '' : `#${this.otherDs}`}@${this.short})`
  }
}

export class Destroy extends OracleCmd {
  constructor(
    readonly target: number,
    readonly recursive: boolean,
    readonly dependents: boolean,
  ) {
    super()
  }
  override check(o: Readonly<Oracle>): boolean {
    return anyNames(o).length > 0
  }
  override async run(o: Oracle): Promise<void> {
    const rel = pick(anyNames(o), this.target)!
    this.label = shown(rel)
    await o.call(
      `destroy(${this.label}${this.recursive ? ' -r' : ''}${this.dependents ? ' -R' : ''})`,
      (d, f) => d.destroy(f(rel) as AnyName, { recursive: this.recursive, dependents: this.dependents }),
      (m, f) => model.destroy(m, f(rel), this.recursive, this.dependents),
      true,
    )
  }
  override shape(): string {
    return `destroy(#${this.target}${this.recursive ? ', recursive' : ''}${this.dependents ? ', dependents' : ''})`
  }
}

/** set (value) or inherit (no value) a user property */
export class SetProperty extends OracleCmd {
  constructor(
    readonly target: number,
    readonly prop: number,
    readonly value: string | undefined,
  ) {
    super()
  }
  override check(o: Readonly<Oracle>): boolean {
    return o.propertyTargets().length > 0
  }
  override async run(o: Oracle): Promise<void> {
    const rel = pick(o.propertyTargets(), this.target)!
    const p = pick(o.props, this.prop)! as PropertyName
    const v = this.value
    this.label = `${shown(rel)} ${p}${v === undefined ? '' : `=${v}`}`
    if (v === undefined) {
      await o.call(
        `inheritProperty(${this.label})`,
        (d, f) => d.inheritProperty(f(rel) as AnyName, p),
        (m, f) => model.inheritProperty(m, f(rel), p),
        false,
      )
    } else {
      await o.call(
        `setProperty(${this.label})`,
        (d, f) => d.setProperty(f(rel) as AnyName, p, v),
        (m, f) => model.setProperty(m, f(rel), p, v),
        false,
      )
    }
  }
  override shape(): string {
    return this.value === undefined
      ? `inherit(#${this.target}, ${this.prop})`
      : `set(#${this.target}, ${this.prop}, ${this.value})`
  }
}
