/**
 * How values are compared across the sides: list output (names mapped to the base), diff
 * records (canonical order), and whole file trees (names, lstat fields both drivers define
 * alike, link targets, contents, and hard-link identity classes, never inode numbers).
 */
import type { DatasetInfo, DiffRecord, FileTree, Stat } from '@stratum/core'
import { formatDiffRecord, sortDiff } from '@stratum/core'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { readAll } from '../checks/util.js'
import { type CompareValues, Divergence, type Side, type Sides, both, relName } from './sides.js'
import { TIMES } from '../fs-op.js'

/** Only user properties in this module are compared: a backend may set its own elsewhere. */
export const PROP_MODULE = 'differential:'
/**
 * Names of datasets (the prelude's 'w' and the random components), never of files. On a real
 * pool a child dataset's mountpoint is a directory in its parent's file system (made by the
 * mount, perhaps left behind by a rename or destroy); the driver algebra does not model
 * mounts. File calls never use these names, and at a tree's root they are left out of every
 * comparison, with the root directory's own 'M' diff record and explicit mtime (which a mount
 * changes).
 */
export const MOUNT_NAMES: readonly string[] = ['w', 'k', 'm', 'k-1']
const isMountPath = (p: string): boolean => MOUNT_NAMES.includes(p.split('/')[1] ?? '')

/** the explicit times commands set; a time either side reports from this set must be the other's too */

const listRow = (s: Side, i: DatasetInfo): string =>
  `${relName(s, i.name)} ${i.type} origin=${i.origin === null ? '-' : relName(s, i.origin)} clones=[${i.clones.map((c) => relName(s, c)).join(',')}] ` +
  JSON.stringify(
    Object.fromEntries(
      Object.entries(i.properties)
        .filter(([k]) => k.startsWith(PROP_MODULE))
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)),
    ),
  )

/** list: the same rows (name, type, origin, clones, own properties) in the same order */
export const compareLists =
  (s: Sides): CompareValues<readonly DatasetInfo[]> =>
  (xa, xb) => {
    const ra = xa.map((i) => listRow(s.a, i))
    const rb = xb.map((i) => listRow(s.b, i))
    if (ra.join('\n') === rb.join('\n')) return undefined
    const onlyA = ra.filter((r) => !rb.includes(r))
    const onlyB = rb.filter((r) => !ra.includes(r))
    return `list rows differ${onlyA.length + onlyB.length === 0 ? ' (order only)' : ''}:\n    only a: ${onlyA.join('\n            ')}\n    only b: ${onlyB.join('\n            ')}`
  }

/** diff: the same records, in canonical order */
export const compareDiffs: CompareValues<readonly DiffRecord[]> = (xa, xb) => {
  const own = (rs: readonly DiffRecord[]): string[] =>
    sortDiff(rs)
      .filter(
        (r) =>
          !(r.path === '/' && r.change === 'M') &&
          !isMountPath(r.path) &&
          !(r.change === 'R' && isMountPath(r.newPath)),
      )
      .map(formatDiffRecord)
  const ra = own(xa)
  const rb = own(xb)
  if (ra.join('\n') === rb.join('\n')) return undefined
  return `diff records differ:\n    only a: ${ra.filter((r) => !rb.includes(r)).join(' | ')}\n    only b: ${rb.filter((r) => !ra.includes(r)).join(' | ')}`
}

const explicit = (t: number): boolean => (TIMES as readonly number[]).includes(t)

/** lstat: type, mode, size of files and symlinks, owner (where both chown), nlink of non-directories, explicit mtimes */
export const compareStats =
  (s: Sides, isRoot = false): CompareValues<Stat> =>
  (x, y) => {
    const diffs: string[] = []
    const field = (k: string, va: unknown, vb: unknown): void => {
      if (va !== vb) diffs.push(`${k}: a ${String(va)}, b ${String(vb)}`)
    }
    field('type', x.type, y.type)
    field('mode', x.mode.toString(8), y.mode.toString(8))
    if (x.type === y.type && (x.type === 'F' || x.type === '@')) field('size', x.size, y.size)
    if (s.chown) {
      field('uid', x.uid, y.uid)
      field('gid', x.gid, y.gid)
    }
    if (x.type === y.type && x.type !== '/') field('nlink', x.nlink, y.nlink)
    if (!isRoot && (explicit(x.mtimeMs) || explicit(y.mtimeMs))) field('mtimeMs', x.mtimeMs, y.mtimeMs)
    return diffs.length === 0 ? undefined : diffs.join('; ')
  }

const eqJson =
  <A>(what: string): CompareValues<A> =>
  (x, y) =>
    JSON.stringify(x) === JSON.stringify(y) ? undefined : `${what} differ`

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

/**
 * Walks the tree at `rel` on both sides from its root: every name, lstat, link target and
 * content compared; then the hard-link classes (paths sharing an inode) must be the same.
 */
export const compareTrees = async (s: Sides, rel: string, ta: FileTree, tb: FileTree): Promise<void> => {
  const tree = (side: Side): FileTree => (side.label === 'a' ? ta : tb)
  const at = (p: string): string => `${rel || '$'}:/${p}`
  const inos: [Map<number, string>, Map<number, string>] = [new Map(), new Map()]
  const classes: [string, string, string][] = []
  const queue = ['']
  while (queue.length > 0) {
    const p = queue.shift()!
    const st = await both(s, `lstat(${at(p)})`, (side) => tree(side).lstat(p), compareStats(s, p === ''))
    if (st === undefined) continue
    const rep = st.map((x, i) => {
      const m = inos[i]!
      if (!m.has(x.ino)) m.set(x.ino, p)
      return m.get(x.ino)!
    })
    classes.push([p, rep[0]!, rep[1]!])
    if (st[0].type === '/') {
      const own = (ns: readonly string[]): readonly string[] =>
        p === '' ? ns.filter((n) => !MOUNT_NAMES.includes(n)) : ns
      const names = await both(s, `readdir(${at(p)})`, (side) => TE.map(own)(tree(side).readdir(p)), eqJson('entries'))
      if (names !== undefined) queue.push(...names[0].map((n) => (p === '' ? n : `${p}/${n}`)))
    } else if (st[0].type === '@') {
      await both(s, `readlink(${at(p)})`, (side) => tree(side).readlink(p), eqJson('targets'))
    } else if (st[0].type === 'F') {
      const data = await both(s, `read(${at(p)})`, (side) => tree(side).read(p))
      if (data !== undefined) {
        const [da, db] = [hex(await readAll(data[0])), hex(await readAll(data[1]))]
        if (da !== db) throw new Divergence(`read(${at(p)}): contents differ\n  a: ${da}\n  b: ${db}`)
      }
    }
  }
  const split = classes.filter(([, ra, rb]) => ra !== rb)
  if (split.length > 0) {
    throw new Divergence(
      `tree ${rel || '$'}: hard-link identity differs (path: same object as on a / on b): ${split.map(([p, ra, rb]) => `/${p}: a /${ra}, b /${rb}`).join('; ')}`,
    )
  }
}
