import { describe, expect, it } from 'vitest'
import { createSimDriver } from '../src/index.js'
import { bad, ds, ok, prop, sn } from './helpers.js'

const setup = async () => {
  const d = createSimDriver({ pools: ['p', 'q'] })
  await ok(d.create(ds('p/a/b'), { parents: true }))
  await ok(d.snapshot(sn('p/a@s'), { recursive: true }))
  await ok(d.clone(sn('p/a/b@s'), ds('p/c')))
  return d
}
const names = async (d: ReturnType<typeof createSimDriver>): Promise<string[]> =>
  (await ok(d.list(ds('p')))).map((i) => i.name)

describe('rename datasets', () => {
  it('children, snapshots and origins of clones follow', async () => {
    const d = await setup()
    await ok(d.setProperty(ds('p/a'), prop('x:k'), 'v'))
    await ok(d.rename(ds('p/a'), ds('p/z')))
    expect(await names(d)).toEqual(['p', 'p/c', 'p/z', 'p/z@s', 'p/z/b', 'p/z/b@s'])
    expect((await ok(d.list(ds('p/c'))))[0]!.origin).toBe('p/z/b@s')
    expect(await ok(d.getProperty(ds('p/z/b'), prop('x:k')))).toEqual({
      value: 'v',
      source: { kind: 'inherited', from: 'p/z' },
    })
  })

  it('errors: missing source, existing target (naming the source), missing parent, own subtree, other pool', async () => {
    const d = await setup()
    expect(await bad(d.rename(ds('p/x'), ds('p/y')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/x' })
    expect(await bad(d.rename(ds('p/a'), ds('p/c')))).toEqual({ _tag: 'DatasetExists', name: 'p/a' })
    expect(await bad(d.rename(ds('p/a'), ds('p/x/y')))).toEqual({ _tag: 'ParentNotFound', name: 'p/x/y' })
    expect(await bad(d.rename(ds('p/a'), ds('p/a/b/n')))).toEqual({
      _tag: 'InvalidName',
      name: 'p/a/b/n',
      reason: 'New dataset name cannot be a descendant of current dataset name',
    })
    expect(await bad(d.rename(ds('p/a'), ds('q/a')))).toEqual({
      _tag: 'InvalidName',
      name: 'q/a',
      reason: 'datasets must be within same pool',
    })
    expect(await names(d)).toEqual(['p', 'p/a', 'p/a@s', 'p/a/b', 'p/a/b@s', 'p/c'])
  })

  it('parents creates the missing ancestors; the same name is a no-op', async () => {
    const d = await setup()
    await ok(d.rename(ds('p/c'), ds('p/c'), {}))
    await ok(d.rename(ds('p/c'), ds('p/n/m/c'), { parents: true }))
    expect(await names(d)).toEqual(['p', 'p/a', 'p/a@s', 'p/a/b', 'p/a/b@s', 'p/n', 'p/n/m', 'p/n/m/c'])
  })

  it('of two renames racing to one target exactly one wins', async () => {
    const d = await setup()
    await ok(d.create(ds('p/t1')))
    await ok(d.create(ds('p/t2')))
    const rs = await Promise.all([d.rename(ds('p/t1'), ds('p/win'))(), d.rename(ds('p/t2'), ds('p/win'))()])
    expect(rs.filter((r) => r._tag === 'Right').length).toBe(1)
    expect(rs.find((r) => r._tag === 'Left')).toEqual({ _tag: 'Left', left: { _tag: 'DatasetExists', name: 'p/t2' } })
  })
})

describe('rename snapshots', () => {
  it('renames within one dataset; clones follow', async () => {
    const d = await setup()
    await ok(d.renameSnapshot(sn('p/a/b@s'), sn('p/a/b@t')))
    expect((await ok(d.list(ds('p/c'))))[0]!.origin).toBe('p/a/b@t')
  })

  it('errors: other dataset, missing source, existing target', async () => {
    const d = await setup()
    expect(await bad(d.renameSnapshot(sn('p/a@s'), sn('p/a/b@t')))).toEqual({
      _tag: 'InvalidName',
      name: 'p/a/b@t',
      reason: 'snapshots must be part of same dataset',
    })
    expect(await bad(d.renameSnapshot(sn('p/a@x'), sn('p/a@t')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/a@x' })
    await ok(d.snapshot(sn('p/a@t')))
    expect(await bad(d.renameSnapshot(sn('p/a@s'), sn('p/a@t')))).toEqual({ _tag: 'DatasetExists', name: 'p/a@s' })
    await ok(d.renameSnapshot(sn('p/a@s'), sn('p/a@s')))
  })
})
