// Found by the differential check against OpenZFS 2.3.2 (guest): a dataset that became a clone
// of its own descendant's snapshot (clone into its own subtree, then promote) makes zfs's
// destroying dependent walk recursive: `cannot determine dependent datasets: recursive
// dependency at '…'` (EZFS_RECURSIVE): RecursiveDependency, and nothing is destroyed.
import { expect, it } from 'vitest'
import { createSimDriver } from '../../src/index.js'
import { bad, ds, ok, sn } from '../helpers.js'

const setup = async () => {
  const d = createSimDriver()
  await ok(d.create(ds('testpool/b')))
  await ok(d.create(ds('testpool/b/w')))
  await ok(d.snapshot(sn('testpool/b/w@s0')))
  await ok(d.clone(sn('testpool/b/w@s0'), ds('testpool/b/w/k')))
  await ok(d.promote(ds('testpool/b/w/k')))
  return d
}

it('destroy -r -R of a tree holding a clone of its own descendant fails with the recursive-dependency error; nothing goes', async () => {
  const d = await setup()
  const e = await bad(d.destroy(ds('testpool/b'), { recursive: true, dependents: true }))
  expect(e).toEqual({ _tag: 'RecursiveDependency', name: 'testpool/b', at: 'testpool/b/w' })
  expect((await ok(d.list(ds('testpool/b')))).map((i) => i.name)).toEqual([
    'testpool/b',
    'testpool/b/w',
    'testpool/b/w/k',
    'testpool/b/w/k@s0',
  ])
  expect(await bad(d.destroy(ds('testpool/b/w'), { recursive: true }))).toEqual({
    _tag: 'RecursiveDependency',
    name: 'testpool/b/w',
    at: 'testpool/b/w',
  })
  expect(await bad(d.destroy(ds('testpool/b/w/k'), { recursive: true, dependents: true }))).toEqual({
    _tag: 'RecursiveDependency',
    name: 'testpool/b/w/k',
    at: 'testpool/b/w/k',
  })
})

// guest seed 977301581: snapshot($@s1, -r), clone($/w@s1 -> $/w/m), promote($/w/m), destroy($@s1, -r -R)
it("destroy -R of a snapshot name walks each gathered snapshot's clones: the same loop refuses it; nothing goes", async () => {
  const d = await setup()
  await ok(d.snapshot(sn('testpool/b@s0')))
  const before = (await ok(d.list(ds('testpool/b')))).map((i) => i.name)
  expect(await bad(d.destroy(sn('testpool/b@s0'), { recursive: true, dependents: true }))).toEqual({
    _tag: 'RecursiveDependency',
    name: 'testpool/b@s0',
    at: 'testpool/b/w',
  })
  expect((await ok(d.list(ds('testpool/b')))).map((i) => i.name)).toEqual(before)
  // without -R nothing is walked: the clone is reported first
  expect(await bad(d.destroy(sn('testpool/b@s0'), { recursive: true }))).toMatchObject({
    _tag: 'HasDependentClones',
    name: 'testpool/b/w/k@s0',
  })
})

it('the checks before the walk still come first: without -r HasChildren, with -r but without -R HasDependentClones', async () => {
  const d = await setup()
  expect(await bad(d.destroy(ds('testpool/b/w')))).toMatchObject({ _tag: 'HasChildren' })
  expect(await bad(d.destroy(ds('testpool/b/w/k'), { recursive: true }))).toMatchObject({ _tag: 'HasDependentClones' })
})

it('promoting the outer dataset back breaks the cycle: then destroy -r -R works', async () => {
  const d = await setup()
  await ok(d.promote(ds('testpool/b/w')))
  await ok(d.destroy(ds('testpool/b'), { recursive: true, dependents: true }))
  expect(await ok(d.exists(ds('testpool/b')))).toBe(false)
})
