import { spawn } from 'node:child_process'
import { mkdtemp, readdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadSimDriver } from '../src/index.js'
import { ds, ok } from './helpers.js'

const repoRoot = join(import.meta.dirname, '..', '..', '..')

describe('crash safety', () => {
  it('a persistent simulator killed with SIGKILL mid-work leaves a loadable state with a prefix of its work', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sim-crash-'))
    const file = join(dir, 'state')
    const child = spawn(
      process.execPath,
      [
        '--conditions=@stratum/source',
        '--import',
        'tsx',
        join(import.meta.dirname, 'fixtures', 'crash-child.ts'),
        file,
      ],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    )
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (b: Buffer) => {
        if (b.toString().includes('ready')) resolve()
      })
      child.on('exit', (code) => reject(new Error(`child exited early: ${code}`)))
    })
    await new Promise((r) => setTimeout(r, 150 + Math.floor(Math.random() * 100)))
    child.kill('SIGKILL')
    await new Promise((r) => child.on('exit', r))
    const d = await ok(loadSimDriver(file))
    const names = (await ok(d.list(ds('p')))).map((i) => i.name).filter((n) => n !== 'p')
    expect(names.length).toBeGreaterThan(5)
    const want = Array.from({ length: names.length }, (_, i) => `p/c${i}`).sort()
    expect(names).toEqual(want)
    // nothing half-written is left beside the state file (the old whole-file save left <state>.tmp-*)
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([])
  })
})
