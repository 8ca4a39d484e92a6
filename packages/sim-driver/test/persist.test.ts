import { mkdtemp, readdir, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSimDriver, loadSimDriver, openSimDriver } from '../src/index.js'
import { bad, bytes, ds, ok, prop, sn, text } from './helpers.js'

const tmp = () => mkdtemp(join(tmpdir(), 'sim-persist-'))

describe('persistence', () => {
  it('a saved state loads back with datasets, snapshots, origins, properties and files', async () => {
    const dir = await tmp()
    const file = join(dir, 'state')
    const d = createSimDriver({ pools: ['p'] })
    await ok(d.create(ds('p/a'), { properties: { [prop('x:k')]: 'v' } }))
    const t = await ok(d.fs(ds('p/a')))
    await ok(t.writeFile('f', bytes('data')))
    await ok(t.setXattr('f', 'user.x', bytes('1')))
    await ok(d.snapshot(sn('p/a@s')))
    await ok(d.clone(sn('p/a@s'), ds('p/c')))
    await ok(d.saveState(file))
    const e = await ok(loadSimDriver(file))
    expect(await ok(e.list(ds('p')))).toEqual(await ok(d.list(ds('p'))))
    const et = await ok(e.fs(ds('p/c')))
    expect(await text(await ok(et.read('f')))).toBe('data')
    expect(Buffer.from(await ok(et.getXattr('f', 'user.x'))).toString()).toBe('1')
    expect(await ok(e.diff(sn('p/a@s'), ds('p/c')))).toEqual([])
    // new objects after the load do not collide with old ones
    await ok(et.writeFile('g', bytes('')))
    expect((await ok(et.lstat('g'))).ino).not.toBe((await ok(et.lstat('f'))).ino)
    expect((await ok(e.diff(sn('p/a@s'), ds('p/c')))).length).toBe(2)
  })

  it('costs what changed: a file written into a 2,000-file dataset, and a clone of it, append a few KB', async () => {
    const dir = await tmp()
    const file = join(dir, 'state')
    const d = await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    await ok(d.create(ds('p/a')))
    const t = await ok(d.fs(ds('p/a')))
    for (let i = 0; i < 2000; i++) await ok(t.writeFile(`f${i}`, bytes('x'.repeat(100))))
    await ok(d.snapshot(sn('p/a@s')))
    const before = (await stat(file)).size
    await ok(t.writeFile('one-more', bytes('y'.repeat(100))))
    const afterWrite = (await stat(file)).size
    await ok(d.clone(sn('p/a@s'), ds('p/c')))
    const afterClone = (await stat(file)).size
    expect(afterWrite - before).toBeLessThan(4096)
    expect(afterClone - afterWrite).toBeLessThan(4096)
    const e = await ok(openSimDriver({ stateFile: file }))
    expect(await ok(e.diff(sn('p/a@s'), ds('p/c')))).toEqual([])
    expect(await ok(e.diff(sn('p/a@s'), ds('p/a')))).toEqual([
      { change: 'M', type: '/', path: '/' },
      { change: '+', type: 'F', path: '/one-more' },
    ])
  })

  it('a corrupt or foreign state file is an Io error naming the file', async () => {
    const dir = await tmp()
    const garbage = join(dir, 'garbage')
    await writeFile(garbage, Buffer.from([0xff, 0x0d, 0x6f, 0x22, 0x01, 0x41]))
    const e1 = await bad(loadSimDriver(garbage))
    expect(e1).toMatchObject({ _tag: 'Io', path: garbage })
    const foreign = join(dir, 'foreign')
    await writeFile(foreign, (await import('node:v8')).serialize({ hello: 'world' }))
    expect(await bad(loadSimDriver(foreign))).toMatchObject({ _tag: 'Io', code: 'EIO', path: foreign })
    expect(await bad(openSimDriver({ stateFile: foreign }))).toMatchObject({ _tag: 'Io', path: foreign })
    expect(await bad(loadSimDriver(join(dir, 'missing')))).toMatchObject({ _tag: 'Io', code: 'ENOENT' })
  })

  it('openSimDriver starts fresh, saves after every change (fs too) and leaves no temp files', async () => {
    const dir = await tmp()
    const file = join(dir, 'state')
    const d = await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    await ok(d.create(ds('p/a')))
    await ok((await ok(d.fs(ds('p/a')))).writeFile('f', bytes('persisted')))
    await ok(d.snapshot(sn('p/a@s')))
    await Promise.all([ok(d.create(ds('p/b'))), ok(d.create(ds('p/c')))])
    const again = await ok(openSimDriver({ stateFile: file }))
    expect((await ok(again.list(ds('p')))).map((i) => i.name)).toEqual(['p', 'p/a', 'p/a@s', 'p/b', 'p/c'])
    expect(await text(await ok((await ok(again.fs(sn('p/a@s')))).read('f')))).toBe('persisted')
    await new Promise((r) => setTimeout(r, 50)) // the lock is let go once the process is idle
    expect(await readdir(dir)).toEqual(['state'])
  })

  it('a failed change is not saved', async () => {
    const dir = await tmp()
    const file = join(dir, 'state')
    const d = await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    await bad(d.create(ds('p/x/y')))
    expect(await ok((await ok(loadSimDriver(file))).list(ds('p')))).toHaveLength(1)
  })
})
