import fc from 'fast-check'
import { fsOpArbs, nat } from '../fs-op-arb.js'
import { type FsOp, TIMES, bytes, chunks } from '../fs-op.js'
import * as T from '../model/tree.js'
import type { TreeCall } from './fs-oracle.js'
import { OracleCmd, type Oracle, pick, shown } from './oracle.js'

export type { FsOracle, FsTarget, TreeCall } from './fs-oracle.js'

/** The one table of file operations: what each does on a driver's tree and on the model's. */
const treeCall = (
  o: FsOp,
  path: string,
  from: string | undefined,
  target: string,
  meta: (on: boolean) => T.Meta,
): TreeCall => {
  switch (o.op) {
    case 'write': {
      const b = bytes(o.content)
      const m = o.flag === 'create' ? meta(o.meta) : {}
      return {
        side: (t) => t.writeFile(path, o.chunked ? chunks(b) : b, { flag: o.flag, ...m }),
        model: (t, c) => T.writeFile(c, t, path, b, o.flag, m),
      }
    }
    case 'mkdir': {
      const m = meta(o.meta)
      return { side: (t) => t.mkdir(path, m), model: (t, c) => T.mkdir(c, t, path, m) }
    }
    case 'symlink':
      return { side: (t) => t.symlink(target, path), model: (t, c) => T.symlink(c, t, target, path, {}) }
    case 'link':
      return { side: (t) => t.link(from!, path), model: (t, c) => T.link(c, t, from!, path) }
    case 'unlink':
      return { side: (t) => t.unlink(path), model: (t, c) => T.unlink(c, t, path) }
    case 'rmdir':
      return { side: (t) => t.rmdir(path), model: (t, c) => T.rmdir(c, t, path) }
    case 'rename':
      return { side: (t) => t.rename(from!, path), model: (t, c) => T.rename(c, t, from!, path) }
    case 'chmod':
      return { side: (t) => t.chmod(path, o.mode), model: (t, c) => T.chmod(c, t, path, o.mode) }
    case 'chown':
      return { side: (t) => t.chown(path, o.uid, o.uid + 1), model: (t, c) => T.chown(c, t, path, o.uid, o.uid + 1) }
    case 'utimes':
      return { side: (t) => t.utimes(path, o.time), model: (t, c) => T.utimes(c, t, path, o.time) }
  }
}

export class FsOpCmd extends OracleCmd {
  constructor(
    readonly ds: number,
    readonly o: FsOp,
  ) {
    super()
  }
  override check(o: Readonly<Oracle>): boolean {
    return o.fs.allows(this.ds, this.o)
  }
  override async run(o: Oracle): Promise<void> {
    const at = await o.fs.resolve(this.ds, this.o)
    if (at === undefined) return
    const { rel, path, from } = at
    const op = this.o
    const target = op.op === 'symlink' ? pick(o.fs.linkTargets, op.target)! : ''
    const meta = (on: boolean): T.Meta =>
      on ? { mode: 0o640, mtimeMs: TIMES[0], ...(o.fs.chown ? { uid: 5, gid: 6 } : {}) } : {}
    const extra = op.op === 'symlink' ? ` -> ${target}` : op.op === 'chmod' ? ` ${op.mode.toString(8)}` : ''
    this.label = `${shown(rel)}: ${op.op} ${from === undefined ? '' : `${from} -> `}${path}${extra}`
    await o.fs.call(rel, `${op.op}(${this.label})`, treeCall(op, path, from, target, meta))
  }
  override shape(): string {
    return `fs(#${this.ds}, ${JSON.stringify(this.o)})`
  }
}

/** A write into a snapshot's tree: EROFS, and nothing changes. */
export class ReadOnlyWrite extends OracleCmd {
  constructor(
    readonly snap: number,
    readonly name: string,
  ) {
    super()
  }
  override check(o: Readonly<Oracle>): boolean {
    return o.snapshots().length > 0 && o.fs.allowsSnapshotWrite(this.snap, this.name)
  }
  override async run(o: Oracle): Promise<void> {
    const rel = pick(o.snapshots(), this.snap)!
    this.label = `${shown(rel)}: write ${this.name}`
    await o.fs.call(rel, `write(${this.label})`, {
      side: (t) => t.writeFile(this.name, new Uint8Array([1])),
      model: () => 'EROFS',
    })
  }
  override shape(): string {
    return `readOnlyWrite(@#${this.snap}, ${this.name})`
  }
}

/** The file-tree commands, with modes drawn from `modes`, for either command run. */
export const fileCommands = (modes: readonly number[]) => {
  const opArbs = fsOpArbs(modes)
  return {
    op: (op: FsOp['op']) => fc.tuple(nat, opArbs[op]).map(([d, o]) => new FsOpCmd(d, o)),
    readOnlyWrite: fc.tuple(nat, fc.constantFrom('a', 'b', 'new')).map(([s, n]) => new ReadOnlyWrite(s, n)),
  }
}
