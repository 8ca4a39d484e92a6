/** The file-backed simulator (openSimDriver) in one process: two drivers on one state file see each other's changes; stale and live locks. */
import { mkdtemp, readdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawn } from 'node:child_process'
import { datasetName, snapshotName } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import { ownerHost } from '@stratum/core/internal'
import { describe, expect, it } from 'vitest'
import { loadSimDriver, openSimDriver } from '../src/index.js'
import { ok } from './helpers.js'

const tempFile = async () => join(await mkdtemp(join(tmpdir(), 'sim-shared-')), 'state')

describe('shared simulator state file', () => {
  it("two drivers on one file see each other's changes, file trees included", async () => {
    const file = await tempFile()
    const a = await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    const b = await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    await ok(a.create(datasetName('p/x')))
    expect(await ok(b.exists(datasetName('p/x')))).toBe(true)
    const tb = await ok(b.fs(datasetName('p/x')))
    await ok(tb.writeFile('f', new TextEncoder().encode('from b')))
    // a renames the dataset; b's tree follows it (trees name their dataset by identity)
    await ok(a.rename(datasetName('p/x'), datasetName('p/y')))
    await ok(tb.writeFile('g', new TextEncoder().encode('after rename')))
    const ta = await ok(a.fs(datasetName('p/y')))
    expect(await ok(ta.readdir(''))).toEqual(['f', 'g'])
    await ok(a.snapshot(snapshotName('p/y@s')))
    const snap = await ok(b.fs(snapshotName('p/y@s')))
    expect(snap.readOnly).toBe(true)
    expect(await ok(snap.readdir(''))).toEqual(['f', 'g'])
    const loaded = await ok(loadSimDriver(file))
    expect((await ok(loaded.list(datasetName('p')))).map((i) => i.name)).toEqual(['p', 'p/y', 'p/y@s'])
  })

  it('interleaved changes from two drivers all land (no lost update)', async () => {
    const file = await tempFile()
    const a = await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    const b = await ok(openSimDriver({ stateFile: file, pools: ['p'] }))
    await Promise.all(Array.from({ length: 20 }, (_, i) => ok((i % 2 === 0 ? a : b).create(datasetName(`p/d${i}`)))))
    const names = (await ok(a.list(datasetName('p')))).map((i) => i.name)
    expect(names.length).toBe(21)
    await new Promise((r) => setTimeout(r, 50)) // the lock is let go once the process is idle
    expect((await readdir(join(file, '..'))).filter((n) => n !== 'state')).toEqual([])
  })

  it("a lock left by a dead process is broken; a live process's lock makes calls wait, then Busy", async () => {
    const file = await tempFile()
    const a = await ok(openSimDriver({ stateFile: file, pools: ['p'], timeoutMs: 300 }))
    const c = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' })
    await new Promise((r) => c.on('exit', r))
    await writeFile(`${file}.lock`, `${ownerHost()}/${c.pid}/xyz\n`)
    await ok(a.create(datasetName('p/after-stale')))
    await new Promise((r) => setTimeout(r, 50)) // idle: the lock is let go
    await writeFile(`${file}.lock`, `${ownerHost()}/${process.ppid}/xyz\n`)
    const r = await a.create(datasetName('p/blocked'))()
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'Busy', name: `${file}.lock` })
  })
})
