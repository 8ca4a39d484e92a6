/**
 * Random file operations on a random dataset, the same on both sides. Paths are picked from
 * side a's tree (walked, not compared): an existing entry, or a new name below any entry,
 * symlinks included, so confined resolution through symlinks is exercised too.
 */
import type { FileTree } from '@stratum/core'
import fc from 'fast-check'
import { compareTrees } from './compare.js'
import { type Sides, both, treesOf } from './sides.js'
import { datasets, pick } from './view.js'
import { DCmd, type DWorld } from './world.js'
import { type FsOp, type PathPick, TIMES, bytes, chunks } from '../fs-op.js'
import { fsOpArbs, nat } from '../fs-op-arb.js'


const TARGETS = ['a', '../b', '/c', 'x/y', 'd', '.', '../f'] as const
const MODES = [0o600, 0o644, 0o755, 0o4755, 0o2755, 0o1777] as const

/** every path of a tree, '' the root, sorted */
export const pathsOf = async (t: FileTree): Promise<string[]> => {
  const out: string[] = []
  const queue = ['']
  while (queue.length > 0) {
    const p = queue.shift()!
    out.push(p)
    const st = await t.lstat(p)()
    if (st._tag === 'Right' && st.right.type === '/') {
      const names = await t.readdir(p)()
      if (names._tag === 'Right') queue.push(...names.right.map((n) => (p === '' ? n : `${p}/${n}`)))
    }
  }
  return out.sort()
}

const pathOf = (paths: readonly string[], p: PathPick): string => {
  const at = pick(paths, p.at)!
  if (p.name === undefined) return at
  return at === '' ? p.name : `${at}/${p.name}`
}


class FsOpCmd extends DCmd {
  constructor(readonly ds: number, readonly o: FsOp) { super() }
  override check(w: Readonly<DWorld>): boolean { return this.o.op !== 'chown' || w.chown }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = pick(datasets(w.v), this.ds)!
    const trees = await treesOf(s, rel)
    if (trees === undefined) return
    const paths = await pathsOf(trees[0])
    const o = this.o
    const path = pathOf(paths, o.path)
    const from = 'from' in o ? pathOf(paths, o.from) : undefined
    this.label = `$${rel}: ${o.op} ${from === undefined ? '' : `${from} -> `}${path}`
    const tree = (side: Sides['a']): FileTree => (side.label === 'a' ? trees[0] : trees[1])
    const meta = (on: boolean) => (on ? { mode: 0o640, mtimeMs: TIMES[0], ...(s.chown ? { uid: 5, gid: 6 } : {}) } : {})
    const what = `${o.op}(${this.label})`
    switch (o.op) {
      case 'write': {
        const b = bytes(o.content)
        const m = o.flag === 'create' ? meta(o.meta) : {}
        await both(s, what, (side) => tree(side).writeFile(path, o.chunked ? chunks(b) : b, { flag: o.flag, ...m }))
        return
      }
      case 'mkdir': await both(s, what, (side) => tree(side).mkdir(path, meta(o.meta))); return
      case 'symlink': { const target = pick(TARGETS, o.target)!; await both(s, `${what} -> ${target}`, (side) => tree(side).symlink(target, path)); return }
      case 'link': await both(s, what, (side) => tree(side).link(from!, path)); return
      case 'unlink': await both(s, what, (side) => tree(side).unlink(path)); return
      case 'rmdir': await both(s, what, (side) => tree(side).rmdir(path)); return
      case 'rename': await both(s, what, (side) => tree(side).rename(from!, path)); return
      case 'chmod': await both(s, `${what} ${o.mode.toString(8)}`, (side) => tree(side).chmod(path, o.mode)); return
      case 'chown': await both(s, `${what} ${o.uid}`, (side) => tree(side).chown(path, o.uid, o.uid + 1)); return
      case 'utimes': await both(s, `${what} ${o.time}`, (side) => tree(side).utimes(path, o.time)); return
    }
  }
  override shape(): string { return `fs(#${this.ds}, ${JSON.stringify(this.o)})` }
}

/** A write into a snapshot's tree: refused alike (EROFS). */
class ReadOnlyWrite extends DCmd {
  constructor(readonly snap: number, readonly name: string) { super() }
  override check(w: Readonly<DWorld>): boolean { return w.v.snapshots.length > 0 }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = pick(w.v.snapshots, this.snap)!
    this.label = `$${rel}: write ${this.name}`
    const trees = await treesOf(s, rel)
    if (trees === undefined) return
    await both(s, `write(${this.label})`, (side) => (side.label === 'a' ? trees[0] : trees[1]).writeFile(this.name, new Uint8Array([1])))
  }
  override shape(): string { return `readOnlyWrite(@#${this.snap}, ${this.name})` }
}

/** The whole tree of a dataset or snapshot compared, entry by entry. */
class TreeCheck extends DCmd {
  constructor(readonly target: number, readonly datasetsOnly: boolean) { super() }
  override async run(w: DWorld, s: Sides): Promise<void> {
    const rel = pick([...datasets(w.v), ...(this.datasetsOnly ? [] : w.v.snapshots)], this.target)!
    this.label = `$${rel}`
    const trees = await treesOf(s, rel)
    if (trees !== undefined) await compareTrees(s, rel, trees[0], trees[1])
  }
  override shape(): string { return `checkTree(#${this.target}${this.datasetsOnly ? ', datasets' : ''})` }
}

const opArbs = fsOpArbs(MODES)

export const fsCommands = {
  op: (op: FsOp['op']) => fc.tuple(nat, opArbs[op]).map(([d, o]) => new FsOpCmd(d, o)),
  readOnlyWrite: fc.tuple(nat, fc.constantFrom('a', 'b', 'new')).map(([sn, n]) => new ReadOnlyWrite(sn, n)),
  tree: nat.map((t) => new TreeCheck(t, false)),
  datasetTree: nat.map((t) => new TreeCheck(t, true)),
}
