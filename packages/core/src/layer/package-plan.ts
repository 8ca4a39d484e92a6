/**
 * What a layer tar must say, learned from `zfs diff` (the index of changed objects) and
 * the listings of the changed directories in both snapshots (the names, which `zfs diff`
 * does not fully give for hard links). Cost follows the number of changes and the size of
 * the changed directories, never the size of the tree.
 *
 * - a name only in the parent's listing: a whiteout (one per removed subtree root);
 * - a name only in the layer's: added, with its full subtree;
 * - a name in both bound to another object: replaced, with its full subtree, and an opaque
 *   marker when a directory replaced a directory (renames fall out as whiteout + add);
 * - a modified object (same identity): the object itself; a directory whose entries
 *   changed: the directory itself; every ancestor of an entry, the root included: a
 *   directory entry (applying an entry changes its parent's mtime, which that entry resets);
 * - a hard-linked object: its first name (byte order) is the file, the others link to it,
 *   or all link to an unchanged name of it when only its link count changed.
 *
 * The root is the same directory in both snapshots whatever lstat says: real ZFS reports a
 * mounted snapshot's root with the inode number of its `.zfs/snapshot/<s>` directory, which
 * differs from snapshot to snapshot, so inode numbers are compared below the root only.
 */
import type { DiffRecord } from '../diff.js'
import { err } from '../errors.js'
import type { FileTree, Stat } from '../fs.js'
import { ancestorsOf, baseName, compareBytes, joinPath, OPAQUE_MARKER, parentPath, WHITEOUT_PREFIX } from './names.js'
import { lstatOrNone } from './resolve.js'
import { fail, must } from './run.js'

export type PlanItem =
  | { readonly kind: 'whiteout'; readonly path: string }
  | { readonly kind: 'object'; readonly path: string; readonly stat: Stat; readonly linkTo?: string }

const rel = (p: string): string => p.replace(/^\/+/, '').replace(/\/+$/, '')
const sameObject = (a: Stat | undefined, b: Stat | undefined): boolean =>
  a !== undefined && b !== undefined && a.ino === b.ino && a.type === b.type
const sameMeta = (a: Stat, b: Stat): boolean =>
  a.size === b.size &&
  a.mode === b.mode &&
  a.uid === b.uid &&
  a.gid === b.gid &&
  a.mtimeMs === b.mtimeMs &&
  a.rdev === b.rdev

const bytesOf = async (t: FileTree, p: string): Promise<Buffer> => {
  const parts: Uint8Array[] = []
  for await (const c of await must(t.read(p))) parts.push(c)
  return Buffer.concat(parts)
}
const xattrsOf = async (t: FileTree, p: string): Promise<string> => {
  const names = [...(await must(t.listXattrs(p)))].sort()
  const out: string[] = []
  for (const n of names) out.push(`${n}=${Buffer.from(await must(t.getXattr(p, n))).toString('hex')}`)
  return out.join('\n')
}

type Lookup = (p: string) => Promise<Stat | undefined>

/**
 * The entry at `p` as a tar path names it: every ancestor a real directory of this snapshot. A
 * symlinked ancestor is never followed (its target is another entry, or a loop), so the path is absent.
 */
const entries = (tree: FileTree): Lookup => {
  const memo = new Map<string, Promise<Stat | undefined>>()
  const at: Lookup = (p) => {
    let m = memo.get(p)
    if (m === undefined) {
      m = (async () => (p !== '' && (await at(parentPath(p)))?.type !== '/' ? undefined : lstatOrNone(tree, p)))()
      memo.set(p, m)
    }
    return m
  }
  return at
}

/**
 * True when the object at `p` is the same object in both snapshots with the same content and
 * metadata (only its link count may differ): its other names can then stay as they are.
 */
const unchangedObject = async (
  parent: FileTree,
  layer: FileTree,
  at: { readonly p: Lookup; readonly l: Lookup },
  p: string,
  xattrs: boolean,
): Promise<Stat | undefined> => {
  const [a, b] = [await at.p(p), await at.l(p)]
  if (!sameObject(a, b) || !sameMeta(a!, b!)) return undefined
  if (b!.type === 'F' && !(await bytesOf(parent, p)).equals(await bytesOf(layer, p))) return undefined
  if (b!.type === '@' && (await must(parent.readlink(p))) !== (await must(layer.readlink(p)))) return undefined
  if (xattrs && (await xattrsOf(parent, p)) !== (await xattrsOf(layer, p))) return undefined
  return b
}

export const planLayer = async (
  records: readonly DiffRecord[],
  parent: FileTree,
  layer: FileTree,
  opts: { readonly xattrs: boolean },
): Promise<PlanItem[]> => {
  const scan = new Set<string>()
  const modified: { path: string; linkOnly: boolean }[] = []
  /** names of hard-linked objects that may still name them unchanged in both snapshots */
  const anchorCandidates: string[] = []
  for (const r of records) {
    const p = rel(r.path)
    if (r.change === 'M') {
      if (r.type === '/') scan.add(p)
      else modified.push({ path: p, linkOnly: r.linkDelta !== undefined && r.linkDelta !== 0 })
    } else if (p !== '') scan.add(parentPath(p))
    if (r.change === 'R') {
      scan.add(parentPath(rel(r.newPath)))
      if (r.type !== '/') anchorCandidates.push(rel(r.newPath))
    }
  }

  const at = { p: entries(parent), l: entries(layer) }
  const objects = new Map<string, Stat>()
  const whiteouts = new Set<string>()
  const full: string[] = []
  const anchors = new Map<number, string>()
  const statL = async (p: string): Promise<Stat> => objects.get(p) ?? must(layer.lstat(p))

  for (const d of scan) {
    const [sp, sl] = [await at.p(d), await at.l(d)]
    if (!(d === '' ? sp?.type === '/' : sameObject(sp, sl)) || sl?.type !== '/') continue
    objects.set(d, sl!)
    const namesP = new Set(await must(parent.readdir(d)))
    const namesL = await must(layer.readdir(d))
    for (const n of namesL) {
      const p = joinPath(d, n)
      if (!namesP.has(n)) {
        full.push(p)
        continue
      }
      const [a, b] = [await must(parent.lstat(p)), await must(layer.lstat(p))]
      if (sameObject(a, b)) continue
      full.push(p)
      if (a.type === '/' && b.type === '/') whiteouts.add(joinPath(p, OPAQUE_MARKER))
    }
    const inL = new Set(namesL)
    for (const n of namesP) if (!inL.has(n)) whiteouts.add(joinPath(d, `${WHITEOUT_PREFIX}${n}`))
  }

  for (const m of modified) {
    const [sp, sl] = [await at.p(m.path), await at.l(m.path)]
    if (!sameObject(sp, sl)) continue
    const same = m.linkOnly ? await unchangedObject(parent, layer, at, m.path, opts.xattrs) : undefined
    if (same !== undefined) anchors.set(same.ino, m.path)
    else objects.set(m.path, sl!)
  }
  for (const p of anchorCandidates) {
    const same = await unchangedObject(parent, layer, at, p, opts.xattrs)
    if (same !== undefined && same.nlink > 1 && !anchors.has(same.ino)) anchors.set(same.ino, p)
  }

  const walk = async (p: string): Promise<void> => {
    const st = await statL(p)
    objects.set(p, st)
    if (st.type === '/') for (const n of await must(layer.readdir(p))) await walk(joinPath(p, n))
  }
  for (const f of full) await walk(f)

  for (const p of [...objects.keys(), ...whiteouts]) {
    for (const a of ['', ...ancestorsOf(p)]) if (!objects.has(a)) objects.set(a, await statL(a))
  }

  const linkTo = new Map<string, string>()
  const groups = new Map<number, string[]>()
  for (const [p, st] of objects)
    if (st.type !== '/' && st.nlink > 1) groups.set(st.ino, [...(groups.get(st.ino) ?? []), p])
  for (const [ino, names] of groups) {
    names.sort(compareBytes)
    const anchor = anchors.get(ino)
    const first = anchor !== undefined && !objects.has(anchor) ? anchor : names[0]!
    for (const n of names) if (n !== first) linkTo.set(n, first)
  }

  const items: PlanItem[] = []
  for (const [path, stat] of objects) {
    if (path !== '' && baseName(path).startsWith(WHITEOUT_PREFIX)) {
      fail(
        err('Unsupported', {
          what: `file name '${path}' (a '${WHITEOUT_PREFIX}' name cannot be carried by an OCI layer)`,
        }),
      )
    }
    if (stat.type === '=') continue // sockets have no tar representation
    const to = linkTo.get(path)
    items.push(to === undefined ? { kind: 'object', path, stat } : { kind: 'object', path, stat, linkTo: to })
  }
  for (const path of whiteouts) items.push({ kind: 'whiteout', path })
  return items.sort((a, b) => compareBytes(a.path, b.path))
}
