import { beforeEach, describe, expect, it } from 'vitest'
import { sortDiff, type DiffRecord, type FileTree } from '@stratum/core'
import { createSimDriver, type SimDriver } from '../src/index.js'
import { bad, bytes, ds, ok, sn } from './helpers.js'

let d: SimDriver
let t: FileTree
let n = 0
beforeEach(async () => {
  d = createSimDriver({ pools: ['p'] })
  await ok(d.create(ds('p/a')))
  t = await ok(d.fs(ds('p/a')))
  await ok(t.mkdir('dir'))
  await ok(t.writeFile('dir/f', bytes('f')))
  await ok(t.writeFile('top', bytes('t')))
  await ok(d.snapshot(sn('p/a@base')))
})

/** Diff from @base to a fresh snapshot of the current state. */
const changes = async (): Promise<DiffRecord[]> => {
  const s = sn(`p/a@s${++n}`)
  await ok(d.snapshot(s))
  const viaSnap = sortDiff(await ok(d.diff(sn('p/a@base'), s)))
  expect(sortDiff(await ok(d.diff(sn('p/a@base'), ds('p/a'))))).toEqual(viaSnap)
  return viaSnap
}

describe('diff records', () => {
  it('nothing changed: no records; reading never dirties', async () => {
    await ok(t.lstat('dir/f'))
    await ok(t.read('dir/f'))
    await ok(t.readdir('dir'))
    expect(await changes()).toEqual([])
  })

  it('a new file is + and its directory M', async () => {
    await ok(t.writeFile('dir/new', bytes('n')))
    expect(await changes()).toEqual([
      { change: 'M', type: '/', path: '/dir' },
      { change: '+', type: 'F', path: '/dir/new' },
    ])
  })

  it('a file re-created at the same path is - then +', async () => {
    await ok(t.unlink('dir/f'))
    await ok(t.writeFile('dir/f', bytes('f')))
    expect(await changes()).toEqual([
      { change: 'M', type: '/', path: '/dir' },
      { change: '+', type: 'F', path: '/dir/f' },
      { change: '-', type: 'F', path: '/dir/f' },
    ])
  })

  it('a move is R; both directories are M', async () => {
    await ok(t.rename('dir/f', 'g'))
    expect(await changes()).toEqual([
      { change: 'M', type: '/', path: '/' },
      { change: 'M', type: '/', path: '/dir' },
      { change: 'R', type: 'F', path: '/dir/f', newPath: '/g' },
    ])
  })

  it('a moved directory is R and its files keep their objects', async () => {
    await ok(t.rename('dir', 'dir2'))
    expect(await changes()).toEqual([
      { change: 'M', type: '/', path: '/' },
      { change: 'R', type: '/', path: '/dir', newPath: '/dir2' },
    ])
  })

  it('an added hard link is M with linkDelta +1 at the old path; removing it is -1 at the path zfs can still find', async () => {
    await ok(t.link('dir/f', 'hl'))
    expect(await changes()).toEqual([
      { change: 'M', type: '/', path: '/' },
      { change: 'M', type: 'F', path: '/dir/f', linkDelta: 1 },
    ])
    await ok(d.snapshot(sn('p/a@linked')))
    await ok(t.unlink('hl'))
    // the parent pointer still names the removed newest link, so the path in `to` is not found
    // (ENOENT, tolerated by libzfs) and zfs reports the link change at the `from` path
    expect(sortDiff(await ok(d.diff(sn('p/a@linked'), ds('p/a'))))).toEqual([
      { change: 'M', type: '/', path: '/' },
      { change: 'M', type: 'F', path: '/hl', linkDelta: -1 },
    ])
  })

  it('a hard link moves the parent pointer to the newest link, so the old name going is -1 at the new name', async () => {
    await ok(t.link('dir/f', 'hl'))
    await ok(d.snapshot(sn('p/a@linked')))
    await ok(t.unlink('dir/f'))
    expect(sortDiff(await ok(d.diff(sn('p/a@linked'), ds('p/a'))))).toEqual([
      { change: 'M', type: '/', path: '/dir' },
      { change: 'M', type: 'F', path: '/hl', linkDelta: -1 },
    ])
  })

  it('chmod, chown, utimes, xattrs and rewriting identical bytes are M', async () => {
    for (const change of [
      () => t.chmod('top', 0o600),
      () => t.chown('top', 1, 1),
      () => t.utimes('top', 5),
      () => t.setXattr('top', 'user.a', bytes('1')),
      () => t.writeFile('top', bytes('t'), { flag: 'truncate' }),
    ]) {
      await ok(d.snapshot(sn(`p/a@pre${++n}`)))
      await ok(change())
      expect(await ok(d.diff(sn(`p/a@pre${n}`), ds('p/a')))).toEqual([{ change: 'M', type: 'F', path: '/top' }])
    }
  })

  it('a removed subtree reports every removed object', async () => {
    await ok(t.mkdir('dir/sub'))
    await ok(t.writeFile('dir/sub/x', bytes('')))
    await ok(d.snapshot(sn('p/a@full')))
    await ok(t.unlink('dir/sub/x'))
    await ok(t.rmdir('dir/sub'))
    await ok(t.unlink('dir/f'))
    await ok(t.rmdir('dir'))
    expect(sortDiff(await ok(d.diff(sn('p/a@full'), ds('p/a'))))).toEqual([
      { change: 'M', type: '/', path: '/' },
      { change: '-', type: '/', path: '/dir' },
      { change: '-', type: 'F', path: '/dir/f' },
      { change: '-', type: '/', path: '/dir/sub' },
      { change: '-', type: 'F', path: '/dir/sub/x' },
    ])
  })

  it('a directory replaced by a file at the same path is - then +', async () => {
    await ok(t.unlink('dir/f'))
    await ok(t.rmdir('dir'))
    await ok(t.writeFile('dir', bytes('')))
    expect(await changes()).toEqual([
      { change: 'M', type: '/', path: '/' },
      { change: '+', type: 'F', path: '/dir' },
      { change: '-', type: '/', path: '/dir' },
      { change: '-', type: 'F', path: '/dir/f' },
    ])
  })
})

describe('diff validity', () => {
  it('works across a clone origin chain (the layer case)', async () => {
    await ok(d.clone(sn('p/a@base'), ds('p/l2')))
    const l2 = await ok(d.fs(ds('p/l2')))
    await ok(l2.writeFile('added', bytes('')))
    await ok(d.snapshot(sn('p/l2@extracted')))
    await ok(d.clone(sn('p/l2@extracted'), ds('p/l3')))
    const want = [
      { change: 'M', type: '/', path: '/' },
      { change: '+', type: 'F', path: '/added' },
    ]
    expect(sortDiff(await ok(d.diff(sn('p/a@base'), sn('p/l2@extracted'))))).toEqual(want)
    expect(sortDiff(await ok(d.diff(sn('p/a@base'), ds('p/l3'))))).toEqual(want)
    // and still after the clone is promoted
    await ok(d.promote(ds('p/l2')))
    expect(sortDiff(await ok(d.diff(sn('p/l2@base'), sn('p/l2@extracted'))))).toEqual(want)
  })

  it('a snapshot diffed with itself is InvalidName: a snapshot is not before itself (ZFS-STRINGS)', async () => {
    expect(await bad(d.diff(sn('p/a@base'), sn('p/a@base')))).toEqual({
      _tag: 'InvalidName',
      name: 'p/a@base',
      reason: 'not an earlier snapshot from the same fs',
    })
  })

  it('a later snapshot, another fs, or a later snapshot of the origin is InvalidName', async () => {
    await ok(d.snapshot(sn('p/a@later')))
    await ok(d.clone(sn('p/a@base'), ds('p/c')))
    await ok(d.create(ds('p/other')))
    const reason = 'not an earlier snapshot from the same fs'
    expect(await bad(d.diff(sn('p/a@later'), sn('p/a@base')))).toEqual({
      _tag: 'InvalidName',
      name: 'p/a@later',
      reason,
    })
    expect(await bad(d.diff(sn('p/a@base'), ds('p/other')))).toEqual({ _tag: 'InvalidName', name: 'p/a@base', reason })
    expect(await bad(d.diff(sn('p/a@later'), ds('p/c')))).toEqual({ _tag: 'InvalidName', name: 'p/a@later', reason })
  })

  it('missing snapshot or target is DatasetNotFound', async () => {
    expect(await bad(d.diff(sn('p/a@nope'), ds('p/a')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/a@nope' })
    expect(await bad(d.diff(sn('p/x@s'), ds('p/a')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/x' })
    expect(await bad(d.diff(sn('p/a@base'), ds('p/nope')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/nope' })
  })
})
