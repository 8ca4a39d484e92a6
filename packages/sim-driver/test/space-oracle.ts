/**
 * The space figures computed the plain way, walking every object (what space.ts did before
 * the object maps kept byte totals): the oracle the kept figures are checked against. A
 * content counts once however many znodes and snapshots hold it, alike in memory or stored.
 */
import * as H from '../src/hamt.js'
import { sameStored } from '../src/lazy.js'
import { emptyObjSet, type ObjSet, type Znode } from '../src/objset.js'
import { childrenOf, snapsOf, type DatasetRec, type State } from '../src/state.js'

const EMPTY: ObjSet = emptyObjSet({ obj: () => 0, gen: () => 0, now: () => 0 })

type Content = NonNullable<Znode['content']> | Znode

const sameContent = (a: Znode | undefined, b: Znode): boolean =>
  a !== undefined &&
  a.type === 'F' &&
  (a.content === b.content || (a.content !== null && b.content !== null && sameStored(a.content, b.content)))

/** Contents counted once each, a stored one by where it is stored. */
class Contents {
  readonly all: [Content, number][] = []
  add(c: Content, size: number): void {
    if (!this.all.some(([x]) => x === c || sameStored(x, c))) this.all.push([c, size])
  }
  get bytes(): number {
    return this.all.reduce((n, [, s]) => n + s, 0)
  }
}

export const referencedOf = (os: ObjSet): number => {
  let n = 0
  for (const [, z] of H.entries(os.objects)) if (z.type === 'F') n += z.size
  return n
}

const uniqueAgainst = (base: ObjSet, os: ObjSet, into: Contents): void =>
  H.diffMaps(base.objects, os.objects, (_k, from, to) => {
    if (to !== undefined && to.type === 'F' && to.size > 0 && !sameContent(from, to))
      into.add(to.content ?? to, to.size)
  })

const originOs = (st: State, d: DatasetRec): ObjSet =>
  d.origin === null ? EMPTY : (st.snaps.get(d.origin)?.objset ?? EMPTY)

export const usedOf = (st: State, d: DatasetRec): number => {
  const own = new Contents()
  for (const os of [...snapsOf(st, d).map((s) => s.objset), d.objset]) uniqueAgainst(originOs(st, d), os, own)
  return own.bytes + childrenOf(st, d.name).reduce((n, c) => n + usedOf(st, c), 0)
}

export const writtenOf = (st: State, d: DatasetRec): number => {
  const snaps = snapsOf(st, d)
  const m = new Contents()
  uniqueAgainst(snaps.length > 0 ? snaps[snaps.length - 1]!.objset : originOs(st, d), d.objset, m)
  return m.bytes
}
