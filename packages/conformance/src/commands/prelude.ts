/**
 * A fixed starting state, through checked calls: a dataset with a directory, files and a
 * symlink, and a snapshot of it, so short random sequences already make renames, hard links
 * and non-empty diffs.
 */
import type { DatasetName, FileTree, SnapshotName } from '@stratum/core'
import * as model from '../model/datasets.js'
import * as T from '../model/tree.js'
import type { Oracle } from './oracle.js'

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)

export const prelude = async (o: Oracle): Promise<void> => {
  await o.call(
    'prelude create($/w)',
    (d, f) => d.create(f('/w') as DatasetName),
    (m, f) => model.create(m, f('/w'), false),
    true,
  )
  const write = (p: string, s: string) => ({
    side: (t: FileTree) => t.writeFile(p, utf8(s)),
    model: (t: T.Tree, c: T.Clock) => T.writeFile(c, t, p, utf8(s), 'create', {}),
  })
  await o.fs.call('/w', 'prelude mkdir(d)', { side: (t) => t.mkdir('d'), model: (t, c) => T.mkdir(c, t, 'd', {}) })
  await o.fs.call('/w', 'prelude write(f)', write('f', 'hello'))
  await o.fs.call('/w', 'prelude write(d/g)', write('d/g', 'x'))
  await o.fs.call('/w', 'prelude symlink(d/l -> ../f)', {
    side: (t) => t.symlink('../f', 'd/l'),
    model: (t, c) => T.symlink(c, t, '../f', 'd/l', {}),
  })
  await o.call(
    'prelude snapshot($/w@s0)',
    (d, f) => d.snapshot(f('/w@s0') as SnapshotName),
    (m, f) => model.snapshot(m, f('/w@s0'), false),
    true,
  )
}
