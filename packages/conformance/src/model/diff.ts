/**
 * The model's `zfs diff`: classifies every object changed between two trees of one lineage
 * the way libzfs_diff.c (write_inuse_diffs_one) does, and matches a driver's records against
 * that expectation.
 *
 * ZFS names an object by ONE path: its parent pointer plus the first entry of that directory
 * naming the object, in ZAP order. When a hard-linked object has several names there, any
 * of them is right, so an expected record carries the set of acceptable paths. When the
 * parent no longer names the object at all (a hard link moved the pointer, then that name
 * went), zfs_obj_to_path fails with ENOENT and libzfs treats the object as absent on that
 * side, though it still has its stats (link count): '-' / '+', or 'M (±n)' at the other
 * side's name when the link count changed.
 */
import { type DiffRecord, formatDiffRecord } from '@stratum/core'
import { type MObj, type Tree, dirname, pathsOf } from './tree.js'

export interface ExpectedRecord {
  /** 'M|R': the same object with an ambiguous name, either M at a name or R between names */
  readonly change: '+' | '-' | 'M' | 'R' | 'M|R'
  readonly type: MObj['type']
  readonly linkDelta?: number
  readonly paths: readonly string[]
  readonly newPaths?: readonly string[]
}

const abs = (key: string): string => `/${key}`

/** The names ZFS may print for an object of tree `t`; none when its parent pointer does not name it. */
export const candidatePaths = (t: Tree, o: MObj): string[] => {
  const all = pathsOf(t, o.id)
  if (all.includes('')) return ['/']
  const parentKeys = pathsOf(t, o.parent)
  if (parentKeys.length !== 1 || t.objs.get(o.parent)?.type !== '/') return []
  return all.filter((p) => dirname(p) === parentKeys[0]).map(abs)
}

export const modelDiff = (from: Tree, to: Tree): ExpectedRecord[] => {
  const out: ExpectedRecord[] = []
  const ids = new Set([...from.objs.keys(), ...to.objs.keys()])
  for (const id of [...ids].sort((a, b) => a - b)) {
    const f = from.objs.get(id)
    const t = to.objs.get(id)
    if (f !== undefined && t !== undefined && f.version === t.version) continue
    const fp = f === undefined ? [] : candidatePaths(from, f)
    const tp = t === undefined ? [] : candidatePaths(to, t)
    const change = f === undefined || t === undefined || f.type === '/' || t.type === '/' ? 0 : t.nlink - f.nlink
    if (fp.length === 0 && tp.length === 0) continue
    if (fp.length === 0) {
      out.push(
        change !== 0
          ? { change: 'M', type: t!.type, linkDelta: change, paths: tp }
          : { change: '+', type: t!.type, paths: tp },
      )
      continue
    }
    if (tp.length === 0) {
      out.push(
        change !== 0
          ? { change: 'M', type: f!.type, linkDelta: change, paths: fp }
          : { change: '-', type: f!.type, paths: fp },
      )
      continue
    }
    const b = t!
    if (change !== 0) out.push({ change: 'M', type: b.type, linkDelta: change, paths: change > 0 ? fp : tp })
    else if (fp.length === 1 && tp.length === 1) {
      out.push(
        fp[0] === tp[0]
          ? { change: 'M', type: b.type, paths: fp }
          : { change: 'R', type: b.type, paths: fp, newPaths: tp },
      )
    } else out.push({ change: 'M|R', type: b.type, paths: fp, newPaths: tp })
  }
  return out
}

const matches = (e: ExpectedRecord, r: DiffRecord): boolean => {
  if (e.type !== r.type) return false
  const delta = r.change === 'M' ? (r.linkDelta ?? 0) : 0
  switch (e.change) {
    case '+':
    case '-':
      return r.change === e.change && e.paths.includes(r.path)
    case 'M':
      return r.change === 'M' && delta === (e.linkDelta ?? 0) && e.paths.includes(r.path)
    case 'R':
      return r.change === 'R' && e.paths.includes(r.path) && e.newPaths!.includes(r.newPath)
    case 'M|R':
      return (
        (r.change === 'M' && delta === 0 && (e.paths.includes(r.path) || e.newPaths!.includes(r.path))) ||
        (r.change === 'R' && e.paths.includes(r.path) && e.newPaths!.includes(r.newPath))
      )
  }
}

export const showExpected = (e: ExpectedRecord): string =>
  `${e.change}\t${e.type}\t${e.paths.join('|')}${e.newPaths ? `\t${e.newPaths.join('|')}` : ''}${e.linkDelta ? `\t(${e.linkDelta > 0 ? '+' : ''}${e.linkDelta})` : ''}`

/** undefined when `actual` is exactly the expected records (in any order); else a description of the difference. */
export const matchDiff = (expected: readonly ExpectedRecord[], actual: readonly DiffRecord[]): string | undefined => {
  const left = [...actual]
  const missing: ExpectedRecord[] = []
  // unambiguous records first, so an ambiguous one cannot take another's match
  const ordered = [...expected].sort(
    (a, b) => a.paths.length + (a.newPaths?.length ?? 0) - b.paths.length - (b.newPaths?.length ?? 0),
  )
  for (const e of ordered) {
    const i = left.findIndex((r) => matches(e, r))
    if (i < 0) missing.push(e)
    else left.splice(i, 1)
  }
  if (missing.length === 0 && left.length === 0) return undefined
  return [
    'zfs diff records differ from the model:',
    ...missing.map((e) => `  expected, not found: ${showExpected(e)}`),
    ...left.map((r) => `  unexpected:          ${formatDiffRecord(r)}`),
  ].join('\n')
}
