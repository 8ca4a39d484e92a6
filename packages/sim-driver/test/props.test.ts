import { describe, expect, it } from 'vitest'
import { createSimDriver } from '../src/index.js'
import { bad, ds, ok, prop, sn } from './helpers.js'

const K = prop('stratum:state')

describe('user properties', () => {
  it('inherit along namespace parents and into snapshots, never from the origin', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a/b'), { parents: true }))
    await ok(d.setProperty(ds('p/a'), K, 'A'))
    await ok(d.snapshot(sn('p/a/b@s')))
    await ok(d.clone(sn('p/a/b@s'), ds('p/c')))
    expect(await ok(d.getProperty(ds('p/a/b'), K))).toEqual({ value: 'A', source: { kind: 'inherited', from: 'p/a' } })
    expect(await ok(d.getProperty(sn('p/a/b@s'), K))).toEqual({
      value: 'A',
      source: { kind: 'inherited', from: 'p/a' },
    })
    expect(await ok(d.getProperty(ds('p/c'), K))).toBeUndefined()
    await ok(d.setProperty(ds('p/a/b'), K, 'B'))
    expect(await ok(d.getProperty(sn('p/a/b@s'), K))).toEqual({
      value: 'B',
      source: { kind: 'inherited', from: 'p/a/b' },
    })
    await ok(d.setProperty(sn('p/a/b@s'), K, 'S'))
    expect(await ok(d.getProperty(sn('p/a/b@s'), K))).toEqual({ value: 'S', source: { kind: 'local' } })
    const listed = await ok(d.list(ds('p/a')))
    expect(listed.find((i) => i.name === 'p/a/b@s')?.properties).toEqual({ 'stratum:state': 'S' })
  })

  it('inherit removes the local value so the inherited one shows again', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a/b'), { parents: true }))
    await ok(d.setProperty(ds('p/a'), K, 'A'))
    await ok(d.setProperty(ds('p/a/b'), K, 'B'))
    await ok(d.inheritProperty(ds('p/a/b'), K))
    expect(await ok(d.getProperty(ds('p/a/b'), K))).toEqual({ value: 'A', source: { kind: 'inherited', from: 'p/a' } })
    await ok(d.inheritProperty(ds('p/a'), K))
    expect(await ok(d.getProperty(ds('p/a/b'), K))).toBeUndefined()
  })

  it('a value of 8192 bytes or more is LimitExceeded; 8191 is fine', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.setProperty(ds('p'), K, 'x'.repeat(8191)))
    expect((await bad(d.setProperty(ds('p'), K, 'x'.repeat(8192))))._tag).toBe('LimitExceeded')
    expect((await bad(d.setProperty(ds('p'), K, '\u00e9'.repeat(4096))))._tag).toBe('LimitExceeded')
    expect((await ok(d.getProperty(ds('p'), K)))?.value.length).toBe(8191)
  })

  it('missing datasets and snapshots are DatasetNotFound', async () => {
    const d = createSimDriver({ pools: ['p'] })
    expect(await bad(d.getProperty(ds('p/x'), K))).toEqual({ _tag: 'DatasetNotFound', name: 'p/x' })
    expect(await bad(d.setProperty(sn('p@x'), K, 'v'))).toEqual({ _tag: 'DatasetNotFound', name: 'p@x' })
  })

  it('stay with a dataset through promote', async () => {
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a')))
    await ok(d.setProperty(ds('p/a'), K, 'origin'))
    await ok(d.snapshot(sn('p/a@s')))
    await ok(d.clone(sn('p/a@s'), ds('p/c'), { properties: { [K]: 'clone' } }))
    await ok(d.promote(ds('p/c')))
    expect((await ok(d.getProperty(ds('p/a'), K)))?.value).toBe('origin')
    expect((await ok(d.getProperty(ds('p/c'), K)))?.value).toBe('clone')
    expect(await ok(d.getProperty(sn('p/c@s'), K))).toEqual({
      value: 'clone',
      source: { kind: 'inherited', from: 'p/c' },
    })
  })
})
