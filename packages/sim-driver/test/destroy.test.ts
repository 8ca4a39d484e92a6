import { describe, expect, it } from 'vitest'
import { createSimDriver } from '../src/index.js'
import { bad, ds, ok, sn } from './helpers.js'

const setup = async () => {
  const d = createSimDriver({ pools: ['p'] })
  await ok(d.create(ds('p/a/b'), { parents: true }))
  await ok(d.snapshot(sn('p/a/b@x')))
  await ok(d.snapshot(sn('p/a@s')))
  return d
}
const names = async (d: ReturnType<typeof createSimDriver>): Promise<string[]> =>
  (await ok(d.list(ds('p')))).map((i) => i.name)

describe('destroy', () => {
  it('missing dataset or snapshot is DatasetNotFound', async () => {
    const d = await setup()
    expect(await bad(d.destroy(ds('p/nope')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/nope' })
    expect(await bad(d.destroy(sn('p/a@nope')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/a@nope' })
    expect(await bad(d.destroy(sn('p/nope@s')))).toEqual({ _tag: 'DatasetNotFound', name: 'p/nope' })
  })

  it('children and snapshots need recursive; dependents in zfs post-order', async () => {
    const d = await setup()
    expect(await bad(d.destroy(ds('p/a')))).toEqual({
      _tag: 'HasChildren',
      name: 'p/a',
      dependents: ['p/a/b@x', 'p/a/b', 'p/a@s'],
    })
    expect(await bad(d.destroy(ds('p/a/b')))).toEqual({ _tag: 'HasChildren', name: 'p/a/b', dependents: ['p/a/b@x'] })
    await ok(d.destroy(ds('p/a'), { recursive: true }))
    expect(await names(d)).toEqual(['p'])
  })

  it('a snapshot with clones needs dependents, listing the clones with their own dependents first', async () => {
    const d = await setup()
    await ok(d.clone(sn('p/a@s'), ds('p/c')))
    await ok(d.create(ds('p/c/d')))
    await ok(d.snapshot(sn('p/c@y')))
    expect(await bad(d.destroy(sn('p/a@s')))).toEqual({
      _tag: 'HasDependentClones',
      name: 'p/a@s',
      clones: ['p/c/d', 'p/c@y', 'p/c'],
    })
    expect(await bad(d.destroy(ds('p/a'), { recursive: true }))).toEqual({
      _tag: 'HasDependentClones',
      name: 'p/a',
      clones: ['p/c/d', 'p/c@y', 'p/c'],
    })
    // without -r the clones elsewhere are not listed, only the children
    expect(await bad(d.destroy(ds('p/a')))).toEqual({
      _tag: 'HasChildren',
      name: 'p/a',
      dependents: ['p/a/b@x', 'p/a/b', 'p/a@s'],
    })
    expect(await names(d)).toContain('p/a@s')
    await ok(d.destroy(sn('p/a@s'), { dependents: true }))
    expect(await names(d)).toEqual(['p', 'p/a', 'p/a/b', 'p/a/b@x'])
  })

  it('dependents destroys dependent clones wherever they are, and clones of their snapshots', async () => {
    const d = await setup()
    await ok(d.create(ds('p/z')))
    await ok(d.clone(sn('p/a/b@x'), ds('p/z/c1')))
    await ok(d.snapshot(sn('p/z/c1@k')))
    await ok(d.clone(sn('p/z/c1@k'), ds('p/c2')))
    await ok(d.destroy(ds('p/a'), { recursive: true, dependents: true }))
    expect(await names(d)).toEqual(['p', 'p/z'])
  })

  it("a clone's destruction never touches its origin", async () => {
    const d = await setup()
    await ok(d.clone(sn('p/a@s'), ds('p/c')))
    await ok(d.destroy(ds('p/c')))
    expect(await names(d)).toEqual(['p', 'p/a', 'p/a@s', 'p/a/b', 'p/a/b@x'])
    expect((await ok(d.list(ds('p/a')))).find((i) => i.name === 'p/a@s')?.clones).toEqual([])
    await ok(d.destroy(sn('p/a@s')))
  })

  it('recursive on a snapshot name destroys it in every descendant that has it', async () => {
    const d = await setup()
    await ok(d.snapshot(sn('p/a/b@s')))
    await ok(d.destroy(sn('p/a@s'), { recursive: true }))
    expect(await names(d)).toEqual(['p', 'p/a', 'p/a/b', 'p/a/b@x'])
    expect(await bad(d.destroy(sn('p/a@s'), { recursive: true }))).toEqual({ _tag: 'DatasetNotFound', name: 'p/a@s' })
  })

  it('dependents implies recursive for a snapshot name, as zfs destroy -R', async () => {
    const d = await setup()
    await ok(d.snapshot(sn('p/a/b@s')))
    await ok(d.clone(sn('p/a/b@s'), ds('p/c')))
    await ok(d.destroy(sn('p/a@s'), { dependents: true }))
    expect(await names(d)).toEqual(['p', 'p/a', 'p/a/b', 'p/a/b@x'])
  })

  it('a pool root needs recursive, which keeps the root itself', async () => {
    const d = await setup()
    expect((await bad(d.destroy(ds('p'))))._tag).toBe('InvalidName')
    await ok(d.snapshot(sn('p@r')))
    await ok(d.destroy(ds('p'), { recursive: true }))
    expect(await names(d)).toEqual(['p'])
  })

  it('a clone inside its origin tree is visited as child and as clone, as zfs does', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a')))
    await ok(d.snapshot(sn('p/a@s')))
    await ok(d.clone(sn('p/a@s'), ds('p/a/c')))
    expect(await bad(d.destroy(ds('p/a')))).toEqual({
      _tag: 'HasChildren',
      name: 'p/a',
      dependents: ['p/a/c', 'p/a/c', 'p/a@s'],
    })
    await ok(d.destroy(ds('p/a'), { recursive: true }))
    expect(await names(d)).toEqual(['p'])
  })
})
