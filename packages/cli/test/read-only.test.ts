// Read-only commands never create files: a missing simulator state file is an error naming it, and nothing appears on disk.
import { readdir, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { captureIo } from '../src/io.js'
import { main } from '../src/main.js'
import { tempDir } from './helpers.js'

const run = async (...argv: string[]): Promise<{ code: number; err: string }> => {
  const io = captureIo({ cwd: '/' })
  return { code: await main(argv, io), err: io.err() }
}

describe('read-only commands on a missing store', () => {
  it('ls, usage, package, save and export fail naming the state file, and create nothing', async () => {
    const dir = await tempDir()
    const state = join(dir, 'x', 'state')
    const commands = [
      ['ls', 'layers'],
      ['ls', 'containers'],
      ['ls', 'images'],
      ['usage'],
      ['package', 'empty', '-o', join(dir, 'out.tar')],
      ['save', 'empty', join(dir, 'saved')],
      ['export', 'empty', join(dir, 'tree')],
    ]
    for (const args of commands) {
      const r = await run('--state', state, ...args)
      expect(r.code, args.join(' ')).toBe(1)
      expect(r.err, args.join(' ')).toBe(
        `stratum: Io: ENOENT '${state}': no store here: 'stratum init' makes one, --state or $STRATUM_STATE names another\n`,
      )
    }
    expect(await readdir(dir)).toEqual([])
  })

  it('ls on an existing store leaves its state file as it was', async () => {
    const dir = await tempDir()
    const state = join(dir, 'state')
    expect((await run('--state', state, 'init')).code).toBe(0)
    const before = await stat(state)
    expect((await run('--state', state, 'ls', 'layers')).code).toBe(0)
    expect((await stat(state)).mtimeMs).toBe(before.mtimeMs)
  })

  it('a base that holds no store fails naming it, with a hint, and is not made', async () => {
    const dir = await tempDir()
    const state = join(dir, 'state')
    expect((await run('--state', state, 'init')).code).toBe(0)
    const before = await stat(state)
    for (const args of [['ls', 'layers'], ['usage']]) {
      const r = await run('--state', state, '--base', 'stratum/other', ...args)
      expect(r.code, args.join(' ')).toBe(1)
      expect(r.err, args.join(' ')).toBe(
        "stratum: no store at 'stratum/other'\nhint: 'stratum init' with the same --driver and --base makes one\n",
      )
    }
    expect((await stat(state)).mtimeMs).toBe(before.mtimeMs)
  })
})
