/**
 * The driver oracle's file side. Paths are picked from side a's tree (walked, not compared): an
 * existing entry, or a new name below any entry, symlinks included, so confined resolution
 * through symlinks is exercised too. Each call runs on both sides' trees, results compared.
 */
import type { FileTree } from '@stratum/core'
import type { FsOracle } from '../commands/fs.js'
import { pick } from '../commands/oracle.js'
import type { PathPick } from '../fs-op.js'
import { type Sides, both, treesOf } from './sides.js'
import { datasets } from './view.js'
import type { DWorld } from './world.js'

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

export const driverFs = (w: DWorld, s: Sides): FsOracle => ({
  allows: (_ds, o) => o.op !== 'chown' || w.chown,
  allowsSnapshotWrite: () => true,
  resolve: async (ds, o) => {
    const rel = pick(datasets(w.v), ds)!
    const trees = await treesOf(s, rel)
    if (trees === undefined) return undefined
    const paths = await pathsOf(trees[0])
    return { rel, path: pathOf(paths, o.path), from: 'from' in o ? pathOf(paths, o.from) : undefined }
  },
  call: async (rel, what, c) => {
    const trees = await treesOf(s, rel)
    if (trees !== undefined) await both(s, what, (side) => c.side(side.label === 'a' ? trees[0] : trees[1]))
  },
  linkTargets: ['a', '../b', '/c', 'x/y', 'd', '.', '../f'],
  chown: s.chown,
})
