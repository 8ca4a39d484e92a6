/**
 * The same starting state on both sides, through compared calls: a dataset with a
 * directory, files and a symlink, and a snapshot of it, so short sequences already make
 * renames, hard links and non-empty diffs.
 */
import type { DatasetName, SnapshotName } from '@stratum/core'
import { type Sides, both, full, treesOf } from './sides.js'
import { type DWorld, nsCall } from './world.js'

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

export const prelude = async (w: DWorld, s: Sides): Promise<void> => {
  await nsCall(w, s, 'prelude create($/w)', (side) => side.driver.create(full(side, '/w') as DatasetName))
  const trees = await treesOf(s, '/w')
  if (trees === undefined) throw new Error('prelude: fs($/w) failed on both sides')
  const t = (side: Sides['a']) => (side.label === 'a' ? trees[0] : trees[1])
  await both(s, 'prelude mkdir(d)', (side) => t(side).mkdir('d'))
  await both(s, 'prelude write(f)', (side) => t(side).writeFile('f', utf8('hello')))
  await both(s, 'prelude write(d/g)', (side) => t(side).writeFile('d/g', utf8('x')))
  await both(s, 'prelude symlink(d/l -> ../f)', (side) => t(side).symlink('../f', 'd/l'))
  await nsCall(w, s, 'prelude snapshot($/w@s0)', (side) => side.driver.snapshot(full(side, '/w@s0') as SnapshotName))
}
