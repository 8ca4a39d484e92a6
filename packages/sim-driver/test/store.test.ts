/**
 * The state file (src/store/): a symlinked state file, an inconsistent or old-format one,
 * temp files a killed process left, and what a later boot opens after unsynced commits.
 */
import { openSync, closeSync } from 'node:fs'
import { lstat, mkdtemp, readdir, readFile, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as v8 from 'node:v8'
import { describe, expect, it } from 'vitest'
import { loadSimDriver, openSimDriver } from '../src/index.js'
import { newState } from '../src/state.js'
import { StoreFile } from '../src/store/file.js'
import { MAGIC } from '../src/store/format.js'
import { bad, bytes, ds, ok, sn, text } from './helpers.js'

const tmp = () => mkdtemp(join(tmpdir(), 'sim-store-'))
const names = async (file: string) => (await ok((await ok(loadSimDriver(file))).list(ds('p')))).map((i) => i.name)

describe('the state file', () => {
  it('a symlinked state file stays a link: its target gets every change', async () => {
    const dir = await tmp()
    const target = join(dir, 'real-state')
    const link = join(dir, 'link')
    await symlink('real-state', link)
    const d = await ok(openSimDriver({ stateFile: link, pools: ['p'] }))
    await ok(d.create(ds('p/a')))
    await ok((await ok(d.fs(ds('p/a')))).writeFile('f', bytes('x')))
    await ok(d.snapshot(sn('p/a@s')))
    expect((await lstat(link)).isSymbolicLink()).toBe(true)
    expect(await names(target)).toEqual(['p', 'p/a', 'p/a@s'])
    expect(await names(link)).toEqual(['p', 'p/a', 'p/a@s'])
  })

  it('a well-formed but inconsistent state file is an Io error naming the file and the inconsistency', async () => {
    const dir = await tmp()
    const file = join(dir, 'state')
    const st = newState(['p'])
    st.datasets.get(st.byName.get('p')!)!.snaps.push(99)
    await writeFile(file, v8.serialize(st))
    const e = await bad(openSimDriver({ stateFile: file }))
    expect(e).toMatchObject({ _tag: 'Io', path: file })
    expect(e._tag === 'Io' && e.message).toMatch(/dataset 'p' lists snapshot guid 99, which does not exist/)
    expect(await bad(loadSimDriver(file))).toMatchObject({ _tag: 'Io', path: file })
  })

  it('an old-format state file is converted once, keeping its datasets', async () => {
    const dir = await tmp()
    const file = join(dir, 'state')
    const st = newState(['p'])
    await writeFile(file, v8.serialize(st))
    const d = await ok(openSimDriver({ stateFile: file }))
    await ok(d.create(ds('p/a')))
    expect((await readFile(file)).subarray(0, MAGIC.length).equals(MAGIC)).toBe(true)
    expect(await names(file)).toEqual(['p', 'p/a'])
  })

  it("temp files of dead processes beside the state file are removed at open; a live one's stay", async () => {
    const dir = await tmp()
    const file = join(dir, 'state')
    await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    await writeFile(`${file}.tmp-999999-0a1b2c`, 'half a state')
    await writeFile(`${file}.tmp-${process.ppid}-0a1b2c`, 'being written')
    await ok(openSimDriver({ stateFile: file }))
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([`state.tmp-${process.ppid}-0a1b2c`])
  })

  it('after a reboot, file-tree changes since the last namespace change may be lost, never more', async () => {
    const dir = await tmp()
    const file = join(dir, 'state')
    const d = await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    await ok(d.create(ds('p/a')))
    const t = await ok(d.fs(ds('p/a')))
    await ok(t.writeFile('synced', bytes('1')))
    await ok(d.snapshot(sn('p/a@s')))
    await ok(t.writeFile('unsynced', bytes('2')))
    await new Promise((r) => setTimeout(r, 50)) // idle: the file-tree change is committed as the lock is let go
    expect(await ok((await ok(loadSimDriver(file))).fs(ds('p/a'))).then((x) => ok(x.readdir('')))).toEqual([
      'synced',
      'unsynced',
    ])
    // the same file as a later boot sees it: the newest uberblock written under another boot id
    const fd = openSync(file, 'r+')
    const store = new StoreFile(file, fd)
    const u = store.uber()
    store.writeUber({ ...u, seq: u.seq + 1, boot: Buffer.alloc(16, 7) })
    closeSync(fd)
    const e = await ok(loadSimDriver(file))
    expect(await names(file)).toEqual(['p', 'p/a', 'p/a@s'])
    expect(await ok((await ok(e.fs(ds('p/a')))).readdir(''))).toEqual(['synced'])
    expect(await text(await ok((await ok(e.fs(sn('p/a@s')))).read('synced')))).toBe('1')
  })
})
