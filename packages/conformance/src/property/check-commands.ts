/** Model-run check commands: they change nothing, and compare what the driver shows with the model. */
import type { AnyName, DatasetName, FileTree, PropertyName, SnapshotName } from '@stratum/core'
import fc from 'fast-check'
import { expect } from 'vitest'
import { diffOutcome, list } from '../model/datasets.js'
import { matchDiff, modelDiff } from '../model/diff.js'
import { dsByName, effectiveProps, snapByName, snapName } from '../model/state.js'
import * as T from '../model/tree.js'
import { readAll } from '../checks/util.js'
import { OracleCmd } from '../commands/oracle.js'
import type { ModelWorld } from './model-oracle.js'
import { PROPS, type World, anyNames, datasets, ownProp, pick, same, snapshots } from './world.js'

const treeOf = (w: World, name: string): T.Tree =>
  name.includes('@') ? snapByName(w.m, name)!.tree : dsByName(w.m, name)!.tree

/** A tree the algebra leaves unspecified on this driver: it holds child mountpoints (Capabilities.mountpointDirectories). */
const unspecified = (w: World, name: string): boolean =>
  w.caps.mountpointDirectories === true &&
  (name.includes('@') ? snapByName(w.m, name)!.hosted : dsByName(w.m, name)!.hosted)

class ListCheck extends OracleCmd<ModelWorld> {
  override async run(w: ModelWorld): Promise<void> {
    const got = (await same('list', 'ok', w.driver.list(w.base)))!
    const own = got.map((i) => ({
      ...i,
      properties: Object.fromEntries(
        Object.entries(i.properties)
          .filter(([k]) => ownProp(k))
          .sort(),
      ),
    }))
    expect(own, 'list(base) differs from the model').toEqual(list(w.m, ownProp))
  }
  override shape(): string {
    return 'checkList()'
  }
}

class PropertyCheck extends OracleCmd<ModelWorld> {
  constructor(
    readonly target: number,
    readonly prop: number,
  ) {
    super()
  }
  override check(w: Readonly<World>): boolean {
    return anyNames(w.m).length > 0
  }
  override async run(w: ModelWorld): Promise<void> {
    const name = pick(anyNames(w.m), this.target)!
    const p = pick(PROPS, this.prop)!
    this.label = `${name} ${p}`
    const got = await same(`getProperty(${this.label})`, 'ok', w.driver.getProperty(name as AnyName, p as PropertyName))
    const e = effectiveProps(w.m, name).get(p)
    expect(got, `getProperty(${this.label})`).toEqual(
      e === undefined
        ? undefined
        : { value: e.value, source: e.from === null ? { kind: 'local' } : { kind: 'inherited', from: e.from } },
    )
  }
  override shape(): string {
    return `checkProperty(#${this.target}, ${this.prop})`
  }
}

/** diff(from, to): a pair valid for diff when `valid` (if there is one), else any pair; outcome and records must match. */
class DiffCheck extends OracleCmd<ModelWorld> {
  constructor(
    readonly pair: number,
    readonly valid: boolean,
  ) {
    super()
  }
  private pairs(w: Readonly<World>): [string, string][] {
    const snaps = snapshots(w.m).map((s) => snapName(w.m, s))
    const all = snaps.flatMap((f) =>
      [...datasets(w.m).map((d) => d.name), ...snaps].filter((t) => t !== f).map((t): [string, string] => [f, t]),
    )
    const valid = all.filter(([f, t]) => diffOutcome(w.m as World['m'], f, t) === 'ok')
    return this.valid && valid.length > 0 ? valid : all
  }
  override check(w: Readonly<World>): boolean {
    return snapshots(w.m).length > 0
  }
  override async run(w: ModelWorld): Promise<void> {
    const [from, to] = pick(this.pairs(w), this.pair)!
    this.label = `${from} ${to}`
    const expected = diffOutcome(w.m, from, to)
    const got = await same(`diff(${this.label})`, expected, w.driver.diff(from as SnapshotName, to as AnyName))
    if (got === undefined || unspecified(w, from) || unspecified(w, to)) return
    const problem = matchDiff(modelDiff(treeOf(w, from), treeOf(w, to)), got)
    if (problem !== undefined) throw new Error(`diff(${this.label}): ${problem}`)
  }
  override shape(): string {
    return `checkDiff(${this.pair}${this.valid ? ', valid' : ''})`
  }
}

/** Every entry of a tree: type, mode, owner (where chown), size, known mtime, link count, content, names; one inode per object. */
export const compareTree = async (ft: FileTree, t: T.Tree, compareOwner: boolean, label: string): Promise<void> => {
  const inoOf = new Map<number, number>()
  for (const key of [...t.paths.keys()].sort()) {
    const o = T.objAt(t, key)!
    const at = `${label}:/${key}`
    const st = (await same(`lstat(${at})`, 'ok', ft.lstat(key)))!
    expect({ type: st.type, mode: st.mode }, at).toEqual({ type: o.type, mode: o.mode })
    if (compareOwner) expect({ uid: st.uid, gid: st.gid }, at).toEqual({ uid: o.uid, gid: o.gid })
    if (o.mtime !== undefined) expect(st.mtimeMs, `${at} mtime`).toBe(o.mtime)
    if (o.type !== '/') expect(st.nlink, `${at} nlink`).toBe(o.nlink)
    const seen = inoOf.get(o.id)
    if (seen === undefined) {
      expect([...inoOf.values()], `${at}: another object has inode ${st.ino}`).not.toContain(st.ino)
      inoOf.set(o.id, st.ino)
    } else expect(st.ino, `${at}: hard links share one inode`).toBe(seen)
    if (o.type === '/') expect(await same(`readdir(${at})`, 'ok', ft.readdir(key)), at).toEqual(T.entries(t, key))
    if (o.type === '@') {
      expect(await same(`readlink(${at})`, 'ok', ft.readlink(key)), at).toBe(o.target)
      expect(st.size, `${at} size`).toBe(new TextEncoder().encode(o.target).length)
    }
    if (o.type === 'F') {
      const data = await readAll((await same(`read(${at})`, 'ok', ft.read(key)))!)
      expect(Buffer.from(data).toString('hex'), `${at} content`).toBe(Buffer.from(o.data).toString('hex'))
      expect(st.size, `${at} size`).toBe(o.data.length)
    }
  }
}

class FsCheck extends OracleCmd<ModelWorld> {
  constructor(readonly target: number) {
    super()
  }
  private names(w: Readonly<World>): string[] {
    return [...datasets(w.m).map((d) => d.name), ...snapshots(w.m).map((s) => snapName(w.m, s))]
  }
  override async run(w: ModelWorld): Promise<void> {
    const name = pick(this.names(w), this.target)!
    this.label = name
    const ft = (await same(`fs(${name})`, 'ok', w.driver.fs(name as DatasetName)))!
    expect(ft.readOnly, `${name} readOnly`).toBe(name.includes('@'))
    if (unspecified(w, name)) return
    await compareTree(ft, treeOf(w, name), w.caps.chown, name)
  }
  override shape(): string {
    return `checkFs(#${this.target})`
  }
}

const nat = fc.nat({ max: 1000 })

export const checkCommands = {
  list: fc.constant(null).map(() => new ListCheck()),
  property: fc.tuple(nat, nat).map(([t, p]) => new PropertyCheck(t, p)),
  diff: fc
    .tuple(nat, fc.oneof({ arbitrary: fc.constant(true), weight: 3 }, { arbitrary: fc.constant(false), weight: 1 }))
    .map(([p, v]) => new DiffCheck(p, v)),
  fs: nat.map((t) => new FsCheck(t)),
}
