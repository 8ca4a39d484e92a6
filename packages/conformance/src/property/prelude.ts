/**
 * A fixed starting state for the file-tree property, applied to model and driver alike: a
 * dataset with a few files and a snapshot, so short random sequences already produce
 * renames, hard links and non-empty diffs.
 */
import type { DatasetName, SnapshotName } from '@stratum/core'
import * as model from '../model/datasets.js'
import { dsByName } from '../model/state.js'
import * as T from '../model/tree.js'
import { type Real, type World, same } from './world.js'

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

export const filePrelude = async (w: World, r: Real): Promise<void> => {
  const name = `${w.m.base}/w`
  await same(`prelude create(${name})`, model.create(w.m, name, false), r.driver.create(name as DatasetName))
  const t = dsByName(w.m, name)!.tree
  const c = w.m.clock
  const ft = (await same(`prelude fs(${name})`, 'ok', r.driver.fs(name as DatasetName)))!
  const ok = (code: string | undefined): 'ok' => { if (code !== undefined) throw new Error(`prelude: model refused (${code})`); return 'ok' }
  await same('prelude mkdir d', ok(T.mkdir(c, t, 'd', {})), ft.mkdir('d'))
  await same('prelude write f', ok(T.writeFile(c, t, 'f', utf8('hello'), 'create', {})), ft.writeFile('f', utf8('hello')))
  await same('prelude write d/g', ok(T.writeFile(c, t, 'd/g', utf8('x'), 'create', {})), ft.writeFile('d/g', utf8('x')))
  await same('prelude symlink d/l', ok(T.symlink(c, t, '../f', 'd/l', {})), ft.symlink('../f', 'd/l'))
  const snap = `${name}@s0`
  await same(`prelude snapshot(${snap})`, model.snapshot(w.m, snap, false), r.driver.snapshot(snap as SnapshotName))
}
