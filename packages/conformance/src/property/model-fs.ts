/** The model oracle's file side: paths picked from the model's trees, each errno compared with the model's. */
import type { AnyName } from '@stratum/core'
import type { FsOracle } from '../commands/fs.js'
import { pick } from '../commands/oracle.js'
import type { FsOp, PathPick } from '../fs-op.js'
import { dsByName, snapByName } from '../model/state.js'
import * as T from '../model/tree.js'
import { type Real, type World, datasets, same, snapshots } from './world.js'

const pathOf = (t: T.Tree, p: PathPick): string => {
  if (p.name === undefined) return pick([...t.paths.keys()].sort(), p.at)!
  const parents = [...t.paths.keys()].filter((k) => t.objs.get(t.paths.get(k)!)!.type !== '@').sort()
  const parent = pick(parents, p.at)!
  return parent === '' ? p.name : `${parent}/${p.name}`
}

export const modelFs = (w: World, r: Real): FsOracle => {
  const base = w.m.base
  const at = (ds: number, o: FsOp) => {
    const d = pick(datasets(w.m), ds)!
    const from = 'from' in o ? pathOf(d.tree, o.from) : undefined
    return { tree: d.tree, rel: d.name.slice(base.length), path: pathOf(d.tree, o.path), from }
  }
  return {
    allows: (ds, o) => {
      const { tree, path, from } = at(ds, o)
      if ([path, from].some((p) => p !== undefined && T.crossesSymlink(tree, p))) return false
      if (['unlink', 'rmdir', 'rename', 'link'].includes(o.op) && (path === '' || from === '')) return false
      if (o.op === 'chmod' && T.objAt(tree, path)?.type === '@') return false
      return o.op !== 'chown' || w.caps.chown
    },
    allowsSnapshotWrite: (snap, name) => {
      const s = pick(snapshots(w.m), snap)
      return s !== undefined && !s.tree.paths.has(name)
    },
    resolve: async (ds, o) => {
      const { rel, path, from } = at(ds, o)
      return { rel, path, from }
    },
    call: async (rel, what, c) => {
      const name = `${base}${rel}`
      const tree = name.includes('@') ? snapByName(w.m, name)!.tree : dsByName(w.m, name)!.tree
      const ft = (await same(`fs(${name})`, 'ok', r.driver.fs(name as AnyName)))!
      const code = c.model(tree, w.m.clock)
      await same(what, code === undefined ? 'ok' : `Io:${code}`, c.side(ft))
    },
    linkTargets: ['a', '../b', '/c', 'x/y'],
    chown: w.caps.chown,
  }
}
