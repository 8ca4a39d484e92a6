// Every package packs into a tarball a stranger can install: npm installs the tarballs into an empty
// project, and the README's quick start and ten-line backend example run there on the installed code.
import { execFile } from 'node:child_process'
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { DEMO_LAYERS } from '../src/demo/image.js'
import { tempDir, writeImage } from './helpers.js'

const run = promisify(execFile)
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const PACKAGES = ['core', 'sim-driver', 'zfs-driver', 'conformance', 'cli'] as const
const sh = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  run(cmd, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 64 << 20, timeout: 600_000 })

const packAll = async (dest: string): Promise<string[]> => {
  await sh('npx', ['-y', 'pnpm@10.34.8', '-r', '--filter', './packages/*', 'pack', '--pack-destination', dest], root)
  return (await readdir(dest)).filter((f) => f.endsWith('.tgz')).sort()
}

const listTar = async (tgz: string): Promise<string[]> =>
  (await sh('tar', ['-tzf', tgz], dirname(tgz))).stdout.split('\n').filter(Boolean)

describe('packed packages', () => {
  it('ship dist, README and LICENSE only, with versions instead of workspace links, and run installed by npm', async () => {
    const dir = await tempDir()
    const packs = join(dir, 'packs')
    await mkdir(packs)
    const tarballs = await packAll(packs)
    expect(tarballs).toHaveLength(PACKAGES.length)
    for (const t of tarballs) {
      const files = await listTar(join(packs, t))
      expect(
        files.filter((f) => !/^package\/(dist\/.*\.(js|d\.ts)|package\.json|README\.md|LICENSE)$/.test(f)),
        t,
      ).toEqual([])
      expect(files, t).toContain('package/README.md')
      expect(files, t).toContain('package/LICENSE')
      const manifest = (await sh('tar', ['-xzOf', t, 'package/package.json'], packs)).stdout
      expect(manifest, t).not.toContain('workspace:')
      expect(manifest, t).not.toContain('@stratum/source')
    }
    // an empty project installs the tarballs with npm; third-party dependencies come from the registry (or its cache)
    const proj = join(dir, 'proj')
    await mkdir(proj)
    const deps = Object.fromEntries(
      tarballs.map((t) => [`@stratum/${t.replace(/^stratum-(.*)-\d+\.\d+\.\d+\.tgz$/, '$1')}`, `file:../packs/${t}`]),
    )
    await writeFile(
      join(proj, 'package.json'),
      JSON.stringify({ name: 'proj', private: true, type: 'module', dependencies: deps }),
    )
    await sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], proj)

    // the installed binary (one bundled file; its native addons resolved from the project) runs a store command
    const bin = join(proj, 'node_modules/.bin/stratum')
    const state = join(dir, 'state')
    expect((await sh(bin, ['--json', '--state', state, 'init'], proj)).stdout).toContain('"base"')
    expect(JSON.parse((await sh(bin, ['--json', '--state', state, 'ls', 'layers'], proj)).stdout)).toMatchObject({
      version: 1,
    })

    // the README's quick start, as published, on the installed packages
    await writeImage(join(dir, 'img'), '1.0', DEMO_LAYERS)
    await writeFile(
      join(proj, 'quickstart.ts'),
      await readFile(join(root, 'packages/cli/src/examples/quickstart.ts'), 'utf8'),
    )
    await writeFile(
      join(proj, 'main.ts'),
      [
        "import { quickstart } from './quickstart.js'",
        `const r = await quickstart(${JSON.stringify(join(dir, 'img'))}, '1.0')()`,
        "if (r._tag === 'Left') { console.error(r.left); process.exit(1) }",
        'console.log(JSON.stringify({ layers: r.right.image.layers.length, diffId: r.right.packaged.diffId }))',
        '',
      ].join('\n'),
    )
    const tsx = join(root, 'node_modules/.bin/tsx')
    const out = JSON.parse((await sh(tsx, ['main.ts'], proj)).stdout) as { layers: number; diffId: string }
    expect(out.layers).toBe(DEMO_LAYERS.length)
    expect(out.diffId).toMatch(/^sha256:[0-9a-f]{64}$/)

    // the ten-line backend example, importing the installed simulator instead of its source
    const example = (await readFile(join(root, 'packages/sim-driver/test/conformance.test.ts'), 'utf8')).replace(
      "'../src/index.js'",
      "'@stratum/sim-driver'",
    )
    expect(example).toContain("from '@stratum/sim-driver'")
    await writeFile(join(proj, 'conformance.test.ts'), example)
    // the whole suite at small sizes: this checks the installed code runs it, not the rules again
    const env = {
      STRATUM_CONFORMANCE_RUNS: '4',
      STRATUM_CONFORMANCE_MAX_COMMANDS: '8',
      STRATUM_CRASH_SAMPLE: '1',
      STRATUM_CRASH_POINTS: 'changes',
      NO_COLOR: '1',
    }
    const suite = await sh(
      join(proj, 'node_modules/.bin/vitest'),
      ['run', '--root', proj, '--reporter=dot', '--testTimeout=600000', '--hookTimeout=600000'],
      proj,
      env,
    )
    expect(suite.stdout).toMatch(/Tests\s+\d+ passed/)
    expect(suite.stdout).not.toMatch(/failed/)
  }, 900_000)
})
