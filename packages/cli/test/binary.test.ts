// The built `stratum` binary (dist/stratum.js, the bundle of dist/bin.js, as package.json "bin" names it): exit codes and the one-line error protocol.
import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { BIN, runBinary, tempDir } from './helpers.js'

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = BIN
const run = runBinary

describe('the stratum binary', () => {
  it('is what package.json "bin" names, and starts with a node shebang', async () => {
    const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8')) as { bin: Record<string, string> }
    expect(manifest.bin.stratum).toBe('./dist/stratum.js')
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

// a loader hook naming each module the binary loads, on stderr after a marker
const MARK = 'module-loaded '
const HOOKS = `export async function load(url, context, next) { process._rawDebug(${JSON.stringify(MARK)} + url); return next(url, context) }`
const COUNTER = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(HOOKS)}`)})`

// the modules tsc built, which the bundle keeps lazy in the same places (its dynamic imports)
const unbundled = join(pkg, 'dist', 'bin.js')

/** The modules `stratum <args>` loads (file URLs), and its exit code; `entry` the unbundled build by default. */
const loaded = async (cwd: string, ...args: string[]): Promise<{ code: number; modules: string[] }> =>
  loadedBy(unbundled, cwd, ...args)
const loadedBy = async (
  entry: string,
  cwd: string,
  ...args: string[]
): Promise<{ code: number; modules: string[] }> => {
  const r = await promisify(execFile)(
    process.execPath,
    ['--import', `data:text/javascript,${encodeURIComponent(COUNTER)}`, entry, ...args],
    { cwd, env: { PATH: process.env.PATH } },
  ).then(
    ({ stderr }) => ({ code: 0, stderr }),
    (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
  )
  const modules = r.stderr.split('\n').filter((l) => l.startsWith(MARK))
  return { code: r.code, modules: modules.map((l) => l.slice(MARK.length)) }
}

const packageOf = (m: string): string | undefined => /\/packages\/([^/]+)\/dist\//.exec(m)?.[1]

describe('start-up', () => {
  it('loads no store code (core, a driver) for --help, completion or a usage error', async () => {
    const dir = await tempDir()
    for (const args of [['--help'], ['completion', 'bash'], ['ls', 'bogus'], ['package', 'img:1']]) {
      const r = await loaded(dir, ...args)
      expect(r.code, args.join(' ')).toBe(args[0] === '--help' || args[0] === 'completion' ? 0 : 2)
      expect(r.modules.length, args.join(' ')).toBeGreaterThan(5)
      expect(
        r.modules.filter((m) => packageOf(m) !== undefined && packageOf(m) !== 'cli'),
        args.join(' '),
      ).toEqual([])
    }
  })

  it("loads the simulator's driver, and not zfs-driver nor a zstd codec, for a command on the simulator", async () => {
    const dir = await tempDir()
    expect((await run(dir, 'init')).code).toBe(0)
    const r = await loaded(dir, 'ls', 'layers')
    expect(r.code).toBe(0)
    const packages = new Set(r.modules.map(packageOf))
    expect(packages.has('core') && packages.has('sim-driver')).toBe(true)
    expect(packages.has('zfs-driver')).toBe(false)
    // the zstd codecs load with the first zstd stream
    expect(r.modules.filter((m) => /zstd-wasm|fzstd/.test(m))).toEqual([])
  })

  it('the bundled binary reads one module of its own for a store command', async () => {
    const dir = await tempDir()
    expect((await run(dir, 'init')).code).toBe(0)
    const r = await loadedBy(bin, dir, 'ls', 'layers')
    expect(r.code).toBe(0)
    expect(r.modules.filter((m) => m.startsWith('file:'))).toEqual([pathToFileURL(bin).href])
  })
})
