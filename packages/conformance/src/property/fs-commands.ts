/** Model-run commands on file trees: random operations on random live datasets, EROFS on snapshots. */
import type { AnyName, DatasetName, FsCode } from '@stratum/core'
import fc from 'fast-check'
import { type Outcome, snapName } from '../model/state.js'
import * as T from '../model/tree.js'
import { Cmd, type Real, type World, datasets, pick, same, snapshots } from './world.js'
import { type FsOp, type PathPick, TIMES, bytes, chunks } from '../fs-op.js'
import { fsOpArbs, nat } from '../fs-op-arb.js'


const TARGETS = ['a', '../b', '/c', 'x/y'] as const
const MODES = [0o600, 0o644, 0o755, 0o4755, 0o1777] as const

const pathOf = (t: T.Tree, p: PathPick): string => {
  if (p.name === undefined) return pick([...t.paths.keys()].sort(), p.at)!
  const parents = [...t.paths.keys()].filter((k) => t.objs.get(t.paths.get(k)!)!.type !== '@').sort()
  const parent = pick(parents, p.at)!
  return parent === '' ? p.name : `${parent}/${p.name}`
}


class FsOpCmd extends Cmd {
  constructor(readonly ds: number, readonly o: FsOp) { super() }
  private paths(w: Readonly<World>): { tree: T.Tree; name: string; path: string; from: string | undefined } {
    const d = pick(datasets(w.m), this.ds)!
    const from = 'from' in this.o ? pathOf(d.tree, this.o.from) : undefined
    return { tree: d.tree, name: d.name, path: pathOf(d.tree, this.o.path), from }
  }
  override check(w: Readonly<World>): boolean {
    const { tree, path, from } = this.paths(w)
    if ([path, from].some((p) => p !== undefined && T.crossesSymlink(tree, p))) return false
    const o = this.o
    if (['unlink', 'rmdir', 'rename', 'link'].includes(o.op) && (path === '' || from === '')) return false
    if (o.op === 'chmod' && T.objAt(tree, path)?.type === '@') return false
    if (o.op === 'chown' && !w.caps.chown) return false
    return true
  }
  override async run(w: World, r: Real): Promise<void> {
    const { tree, name, path, from } = this.paths(w)
    const c = w.m.clock
    const o = this.o
    this.label = `${name}: ${o.op} ${from === undefined ? '' : `${from} -> `}${path}`
    const ft = (await same(`fs(${name})`, 'ok', r.driver.fs(name as AnyName)))!
    const meta = (on: boolean): T.Meta => (on ? { mode: 0o640, mtimeMs: TIMES[0], ...(w.caps.chown ? { uid: 5, gid: 6 } : {}) } : {})
    const io = (code: FsCode | undefined): Outcome => (code === undefined ? 'ok' : `Io:${code}`)
    switch (o.op) {
      case 'write': {
        const b = bytes(o.content)
        const m = o.flag === 'create' ? meta(o.meta) : {}
        await same(this.label, io(T.writeFile(c, tree, path, b, o.flag, m)), ft.writeFile(path, o.chunked ? chunks(b) : b, { flag: o.flag, ...m }))
        return
      }
      case 'mkdir': { const m = meta(o.meta); await same(this.label, io(T.mkdir(c, tree, path, m)), ft.mkdir(path, m)); return }
      case 'symlink': {
        const target = pick(TARGETS, o.target)!
        await same(this.label, io(T.symlink(c, tree, target, path, {})), ft.symlink(target, path))
        return
      }
      case 'link': await same(this.label, io(T.link(c, tree, from!, path)), ft.link(from!, path)); return
      case 'unlink': await same(this.label, io(T.unlink(c, tree, path)), ft.unlink(path)); return
      case 'rmdir': await same(this.label, io(T.rmdir(c, tree, path)), ft.rmdir(path)); return
      case 'rename': await same(this.label, io(T.rename(c, tree, from!, path)), ft.rename(from!, path)); return
      case 'chmod': await same(this.label, io(T.chmod(c, tree, path, o.mode)), ft.chmod(path, o.mode)); return
      case 'chown': await same(this.label, io(T.chown(c, tree, path, o.uid, o.uid + 1)), ft.chown(path, o.uid, o.uid + 1)); return
      case 'utimes': await same(this.label, io(T.utimes(c, tree, path, o.time)), ft.utimes(path, o.time)); return
    }
  }
  override shape(): string { return `fs(#${this.ds}, ${JSON.stringify(this.o)})` }
}

/** A write into a snapshot's tree: EROFS, and nothing changes. */
class ReadOnlyWrite extends Cmd {
  constructor(readonly snap: number, readonly name: string) { super() }
  override check(w: Readonly<World>): boolean {
    const s = pick(snapshots(w.m), this.snap)
    return s !== undefined && !s.tree.paths.has(this.name)
  }
  override async run(w: World, r: Real): Promise<void> {
    const name = snapName(w.m, pick(snapshots(w.m), this.snap)!)
    this.label = `${name}: write ${this.name}`
    const ft = (await same(`fs(${name})`, 'ok', r.driver.fs(name as DatasetName)))!
    await same(this.label, 'Io:EROFS', ft.writeFile(this.name, new Uint8Array([1])))
  }
  override shape(): string { return `readOnlyWrite(@#${this.snap}, ${this.name})` }
}

const opArbs = fsOpArbs(MODES)

export const fsCommands = {
  op: (op: FsOp['op']) => fc.tuple(nat, opArbs[op]).map(([d, o]) => new FsOpCmd(d, o)),
  readOnlyWrite: fc.tuple(nat, fc.constantFrom('a', 'b', 'new')).map(([s, n]) => new ReadOnlyWrite(s, n)),
}
