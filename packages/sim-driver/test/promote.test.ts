import { describe, expect, it } from 'vitest'
import { createSimDriver } from '../src/index.js'
import { bad, bytes, ds, ok, prop, sn, text } from './helpers.js'

const info = async (d: ReturnType<typeof createSimDriver>) =>
  Object.fromEntries((await ok(d.list(ds('p')))).map((i) => [i.name, { origin: i.origin, clones: i.clones }]))

describe('promote', () => {
  it("the seed's commit sequence: the snapshot moves, so snapshotting it again is DatasetExists", async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/rt')))
    await ok(d.create(ds('p/S')))
    await ok(d.snapshot(sn('p/rt@extracted')))
    await ok(d.clone(sn('p/rt@extracted'), ds('p/S/h')))
    await ok(d.promote(ds('p/S/h')))
    expect(await bad(d.snapshot(sn('p/S/h@extracted')))).toEqual({ _tag: 'DatasetExists', name: 'p/S/h@extracted' })
    const i = await info(d)
    expect(i['p/rt']!.origin).toBe('p/S/h@extracted')
    expect(i['p/S/h']!.origin).toBeNull()
    expect(i['p/S/h@extracted']!.clones).toEqual(['p/rt'])
    expect(i['p/rt@extracted']).toBeUndefined()
  })

  it('moves the snapshots up to and including the origin, older first, keeping names and properties', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a')))
    await ok((await ok(d.fs(ds('p/a')))).writeFile('f', bytes('1')))
    await ok(d.snapshot(sn('p/a@s1'), { properties: { [prop('x:k')]: 'v1' } }))
    await ok(d.snapshot(sn('p/a@s2')))
    await ok(d.snapshot(sn('p/a@s3')))
    await ok(d.clone(sn('p/a@s2'), ds('p/c')))
    await ok(d.snapshot(sn('p/c@c1')))
    await ok(d.clone(sn('p/a@s1'), ds('p/other')))
    await ok(d.promote(ds('p/c')))
    const names = (await ok(d.list(ds('p')))).map((i) => i.name)
    expect(names).toEqual(['p', 'p/a', 'p/a@s3', 'p/c', 'p/c@s1', 'p/c@s2', 'p/c@c1', 'p/other'])
    const i = await info(d)
    expect(i['p/a']!.origin).toBe('p/c@s2')
    expect(i['p/other']!.origin).toBe('p/c@s1')
    expect(await ok(d.getProperty(sn('p/c@s1'), prop('x:k')))).toEqual({ value: 'v1', source: { kind: 'local' } })
    expect(await text(await ok((await ok(d.fs(sn('p/c@s1')))).read('f')))).toBe('1')
  })

  it('a clone of a clone takes over its origin dataset origin', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a')))
    await ok(d.snapshot(sn('p/a@s')))
    await ok(d.clone(sn('p/a@s'), ds('p/b')))
    await ok(d.snapshot(sn('p/b@t')))
    await ok(d.clone(sn('p/b@t'), ds('p/c')))
    await ok(d.promote(ds('p/c')))
    const i = await info(d)
    expect(i['p/c']!.origin).toBe('p/a@s')
    expect(i['p/b']!.origin).toBe('p/c@t')
  })

  it('a name conflict is SnapshotNameConflict and nothing moves', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a')))
    await ok(d.snapshot(sn('p/a@old')))
    await ok(d.snapshot(sn('p/a@s')))
    await ok(d.clone(sn('p/a@s'), ds('p/c')))
    await ok(d.snapshot(sn('p/c@old')))
    const before = await info(d)
    expect(await bad(d.promote(ds('p/c')))).toEqual({
      _tag: 'SnapshotNameConflict',
      name: 'p/c',
      snapshot: 'old',
      origin: 'p/a@s',
    })
    expect(await info(d)).toEqual(before)
  })

  it('not a clone is NotAClone; missing is DatasetNotFound', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a')))
    expect(await bad(d.promote(ds('p/a')))).toEqual({ _tag: 'NotAClone', name: 'p/a' })
    expect(await bad(d.promote(ds('p/x')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/x' })
  })
})
