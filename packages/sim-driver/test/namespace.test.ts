import { describe, expect, it } from 'vitest'
import { createSimDriver } from '../src/index.js'
import { bad, ds, ok, prop, sn } from './helpers.js'

const names = async (d: ReturnType<typeof createSimDriver>, root = 'testpool'): Promise<string[]> =>
  (await ok(d.list(ds(root)))).map((i) => i.name)

describe('create', () => {
  it('starts with each pool root, empty, without snapshots', async () => {
    const d = createSimDriver({ pools: ['p', 'q'] })
    expect(await names(d, 'p')).toEqual(['p'])
    expect(await names(d, 'q')).toEqual(['q'])
    expect(await ok(d.exists(ds('p')))).toBe(true)
    expect(await ok((await ok(d.fs(ds('p')))).readdir('/'))).toEqual([])
    expect(d.capabilities).toEqual({
      xattrs: true,
      deviceNodes: true,
      chown: true,
      hostPaths: false,
    })
  })

  it('needs the parent unless parents; exists is DatasetExists unless parents', async () => {
    const d = createSimDriver()
    expect(await bad(d.create(ds('testpool/x/a')))).toEqual({ _tag: 'ParentNotFound', name: 'testpool/x/a' })
    await ok(d.create(ds('testpool/x/a'), { parents: true }))
    expect(await names(d)).toEqual(['testpool', 'testpool/x', 'testpool/x/a'])
    expect(await bad(d.create(ds('testpool/x/a')))).toEqual({ _tag: 'DatasetExists', name: 'testpool/x/a' })
    await ok(d.create(ds('testpool/x/a'), { parents: true }))
  })

  it('a missing pool is ParentNotFound; a pool root is not creatable', async () => {
    const d = createSimDriver()
    expect((await bad(d.create(ds('nopool/a'))))._tag).toBe('ParentNotFound')
    expect(await bad(d.create(ds('testpool')))).toEqual({
      _tag: 'InvalidName',
      name: 'testpool',
      reason: 'missing dataset name',
    })
    await ok(d.create(ds('testpool'), { parents: true }))
  })

  it('sets properties atomically with the creation', async () => {
    const d = createSimDriver()
    await ok(d.create(ds('testpool/a'), { properties: { [prop('stratum:state')]: 'new' } }))
    expect(await ok(d.getProperty(ds('testpool/a'), prop('stratum:state')))).toEqual({
      value: 'new',
      source: { kind: 'local' },
    })
    expect((await bad(d.create(ds('testpool/b'), { properties: { [prop('x:y')]: 'v'.repeat(8192) } })))._tag).toBe(
      'LimitExceeded',
    )
    expect(await ok(d.exists(ds('testpool/b')))).toBe(false)
  })
})

describe('snapshot', () => {
  it('needs the dataset and a new name', async () => {
    const d = createSimDriver()
    expect(await bad(d.snapshot(sn('testpool/x@s')))).toEqual({ _tag: 'DatasetNotFound', name: 'testpool/x' })
    await ok(d.snapshot(sn('testpool@s')))
    expect(await bad(d.snapshot(sn('testpool@s')))).toEqual({ _tag: 'DatasetExists', name: 'testpool@s' })
  })

  it('recursive snapshots every descendant, or none when one exists', async () => {
    const d = createSimDriver()
    await ok(d.create(ds('testpool/a/b/c'), { parents: true }))
    await ok(d.snapshot(sn('testpool/a/b@s')))
    expect(await bad(d.snapshot(sn('testpool/a@s'), { recursive: true }))).toEqual({
      _tag: 'DatasetExists',
      name: 'testpool/a/b@s',
    })
    expect(await ok(d.exists(sn('testpool/a@s')))).toBe(false)
    expect(await ok(d.exists(sn('testpool/a/b/c@s')))).toBe(false)
    await ok(d.snapshot(sn('testpool/a@t'), { recursive: true }))
    expect(await names(d)).toEqual([
      'testpool',
      'testpool/a',
      'testpool/a@t',
      'testpool/a/b',
      'testpool/a/b@s',
      'testpool/a/b@t',
      'testpool/a/b/c',
      'testpool/a/b/c@t',
    ])
  })
})

describe('clone', () => {
  it('needs the origin, a new target and its parent, the same pool', async () => {
    const d = createSimDriver({ pools: ['p', 'q'] })
    await ok(d.create(ds('p/a')))
    expect(await bad(d.clone(sn('p/a@s'), ds('p/c')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/a@s' })
    await ok(d.snapshot(sn('p/a@s')))
    expect(await bad(d.clone(sn('p/a@s'), ds('p/x/c')))).toEqual({ _tag: 'ParentNotFound', name: 'p/x/c' })
    expect(await bad(d.clone(sn('p/a@s'), ds('p/a')))).toEqual({ _tag: 'DatasetExists', name: 'p/a' })
    expect(await bad(d.clone(sn('p/a@s'), ds('q/c')))).toEqual({
      _tag: 'InvalidName',
      name: 'q/c',
      reason: 'source and target pools differ',
    })
    await ok(d.clone(sn('p/a@s'), ds('p/c')))
    const info = await ok(d.list(ds('p')))
    expect(info.find((i) => i.name === 'p/c')?.origin).toBe('p/a@s')
    expect(info.find((i) => i.name === 'p/a@s')?.clones).toEqual(['p/c'])
  })
})

describe('list', () => {
  it('is in zfs order: byte order of the dataset part, fs before its snapshots, snapshots by creation', async () => {
    const d = createSimDriver({ pools: ['p'] })
    for (const n of ['p/a', 'p/a/b', 'p/a-b', 'p/ab']) await ok(d.create(ds(n)))
    await ok(d.snapshot(sn('p/a@z')))
    await ok(d.snapshot(sn('p/a@a')))
    expect(await names(d, 'p')).toEqual(['p', 'p/a', 'p/a@z', 'p/a@a', 'p/a-b', 'p/a/b', 'p/ab'])
    expect(await names(d, 'p/a')).toEqual(['p/a', 'p/a@z', 'p/a@a', 'p/a/b'])
    expect(await bad(d.list(ds('p/nope')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/nope' })
  })
})
