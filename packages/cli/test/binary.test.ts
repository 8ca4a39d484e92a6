// The built `stratum` binary (dist/bin.js, as package.json "bin" names it): exit codes and the one-line error protocol.
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { BIN, runBinary, tempDir } from './helpers.js'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = BIN
const run = runBinary

describe('the stratum binary', () => {
  it('is what package.json "bin" names, and starts with a node shebang', async () => {
    const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    expect(manifest.bin.stratum).toBe('./dist/bin.js')
    expect((await readFile(bin, 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  it('exits 0 on success, 1 with one stderr line (and a hint) on a StorageError, 2 on a usage error', async () => {
    const dir = await tempDir()
    const init = await run(dir, '--json', 'init')
    expect(init.code).toBe(0)
    expect(JSON.parse(init.stdout)).toMatchObject({ base: 'stratum', state: join(dir, '.stratum', 'state') })
    expect(await run(dir, 'rmi', `sha256:${'a'.repeat(64)}`)).toEqual({
      code: 1,
      stdout: '',
      stderr: `stratum: no layer 'sha256:${'a'.repeat(64)}'\nhint: 'stratum ls layers' lists the layers\n`,
    })
    const usage = await run(dir, 'start')
    expect(usage.code).toBe(2)
    expect(usage.stderr).toBe("error: missing required argument 'container-id'\n")
  })

  it('--help lists every command', async () => {
    const help = await run(await tempDir(), '--help')
    expect(help.code).toBe(0)
    for (const c of [
      'init',
      'extract',
      'extract-layer',
      'start',
      'apply',
      'commit',
      'package',
      'export',
      'ls',
      'rm',
      'rmi',
      'recover',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${c} `, 'm'))
    }
  })
})
