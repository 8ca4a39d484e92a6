/**
 * Real OpenZFS 2.3.2 (guest run 20261125-221749-14305): the root of a mounted snapshot reports
 * the inode number of its `.zfs/snapshot/<s>` directory, ZFSCTL_INO_SNAPDIRS - objset id
 * (`pd@s` objsetid 86 -> 281474976710566, its clone's `pd-l@s` -> 281474976710551), while every
 * other object keeps its object number and the live dataset's root is 34. Layer packaging
 * compared the two snapshots' roots by inode and skipped every change at the top level.
 */
import { describe, expect, it } from 'vitest'
import { createSimDriver } from '../../src/index.js'
import { bytes, ds, ok, sn } from '../helpers.js'

const SNAPDIRS = 0xfffffffffffc

describe('snapshot roots as real ZFS reports them', () => {
  it('each snapshot root has its own inode number from the control-directory range; objects below keep theirs', async () => {
    const d = createSimDriver()
    await ok(d.create(ds('testpool/p')))
    const live = await ok(d.fs(ds('testpool/p')))
    await ok(live.mkdir('a'))
    await ok(live.writeFile('a/f', bytes('x')))
    await ok(d.snapshot(sn('testpool/p@s')))
    await ok(d.clone(sn('testpool/p@s'), ds('testpool/c')))
    await ok(d.snapshot(sn('testpool/c@s')))
    await ok(d.snapshot(sn('testpool/p@t')))
    const trees = [
      await ok(d.fs(sn('testpool/p@s'))),
      await ok(d.fs(sn('testpool/c@s'))),
      await ok(d.fs(sn('testpool/p@t'))),
    ]
    const roots = await Promise.all(trees.map(async (t) => (await ok(t.lstat(''))).ino))
    expect(new Set(roots).size).toBe(3)
    for (const r of roots) expect(r).toBeGreaterThan(SNAPDIRS - 2 ** 20)
    for (const r of roots) expect(r).toBeLessThan(SNAPDIRS)
    const liveRoot = (await ok(live.lstat(''))).ino
    expect(roots).not.toContain(liveRoot)
    // the same root reached another way is the same inode
    expect((await ok(trees[0]!.lstat('a/..'))).ino).toBe(roots[0])
    const below = await Promise.all(
      trees.map(async (t) => [(await ok(t.lstat('a'))).ino, (await ok(t.lstat('a/f'))).ino]),
    )
    expect(below[1]).toEqual(below[0])
    expect(below[2]).toEqual(below[0])
    expect(below[0]![0]).toBe((await ok(live.lstat('a'))).ino)
  })
})
