// The README's library quick start is the example file, and that file runs; the README keeps its two commands.
import { execSync } from 'node:child_process'
import { readFile, rm, stat } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { sha256 } from '@stratum/core'
import { quickstartPromises } from '../src/examples/promises.js'
import { quickstart } from '../src/examples/quickstart.js'
import { nextCommands, runDemo } from '../src/demo/run.js'
import { DEMO_LAYERS } from '../src/demo/image.js'
import { BIN, tempDir, writeImage } from './helpers.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const readme = async (): Promise<string> => readFile(join(root, 'README.md'), 'utf8')

/** The first fenced block of `lang` after the heading `title`. */
const blockAfter = (text: string, title: string, lang: string): string | undefined => {
  const at = text.indexOf(`\n## ${title}\n`)
  if (at < 0) return undefined
  const m = new RegExp(`\`\`\`${lang}\\n([\\s\\S]*?)\`\`\``).exec(text.slice(at))
  return m?.[1]
}

describe('README', () => {
  it('shows packages/cli/src/examples/quickstart.ts exactly, under "Library quick start"', async () => {
    const file = await readFile(join(root, 'packages/cli/src/examples/quickstart.ts'), 'utf8')
    expect(blockAfter(await readme(), 'Library quick start', 'ts')).toBe(file)
  })

  it('shows packages/cli/src/examples/promises.ts exactly, under "The same with Promises"', async () => {
    const file = await readFile(join(root, 'packages/cli/src/examples/promises.ts'), 'utf8')
    expect(blockAfter(await readme(), 'The same with Promises', 'ts')).toBe(file)
  })

  it('shows the simulator conformance test exactly, under the ten-lines heading', async () => {
    const file = await readFile(join(root, 'packages/sim-driver/test/conformance.test.ts'), 'utf8')
    expect(blockAfter(await readme(), 'A new backend runs the conformance suite in ten lines', 'ts')).toBe(file)
  })

  it('keeps the two commands CI runs', async () => {
    const text = await readme()
    expect(text).toContain(
      'npx -y pnpm@10.34.8 install --frozen-lockfile && npx -y pnpm@10.34.8 demo\nnpx -y pnpm@10.34.8 test\n',
    )
    // CI runs the install line, then (after the real-ZFS guest step) the README's test command, as whole lines
    const ci = (await readFile(join(root, '.ci/run'), 'utf8')).split('\n')
    const install = ci.indexOf('npx -y pnpm@10.34.8 install --frozen-lockfile')
    const test = ci.indexOf('npx -y pnpm@10.34.8 test')
    expect(install).toBeGreaterThanOrEqual(0)
    expect(test).toBeGreaterThan(install)
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
    // the demo's printed commands run `pnpm stratum`: the bundled binary, so the demo builds it
    expect(pkg.scripts.demo).toBe('tsc -b && node packages/cli/bundle.mjs && node packages/cli/dist/demo.js')
    expect(pkg.scripts.stratum).toBe('node packages/cli/dist/stratum.js')
  })
})

describe('the quick start example', () => {
  it('extracts, starts, commits and packages: the tar hashes to the diffID and carries the new file', async () => {
    const dir = await tempDir()
    await writeImage(join(dir, 'img'), '1.0', DEMO_LAYERS)
    const r = await quickstart(join(dir, 'img'), '1.0')()
    if (E.isLeft(r)) throw new Error(r.left)
    const chunks: Uint8Array[] = []
    for await (const c of r.right.packaged.tar) chunks.push(c)
    const tar = Buffer.concat(chunks)
    expect(sha256(tar)).toBe(r.right.packaged.diffId)
    expect(r.right.layer.diffId).toBe(r.right.packaged.diffId)
    expect(r.right.image.layers).toHaveLength(3)
    expect(tar.includes(Buffer.from('motd'))).toBe(true)
  })

  it('reports a failure as one line naming the tag and the thing', async () => {
    const dir = await tempDir()
    const r = await quickstart(join(dir, 'nothing-here'), '1.0')()
    expect(r).toEqual(
      E.left(
        `Io: ENOENT '${join(dir, 'nothing-here', 'oci-layout')}': ENOENT: no such file or directory, open '${join(dir, 'nothing-here', 'oci-layout')}'`,
      ),
    )
  })
})

describe('the Promise quick start', () => {
  it('extracts, starts, commits and packages as the TaskEither one does', async () => {
    const dir = await tempDir()
    await writeImage(join(dir, 'img'), '1.0', DEMO_LAYERS)
    const r = await quickstartPromises(join(dir, 'img'), '1.0')
    const chunks: Uint8Array[] = []
    for await (const c of r.packaged.tar) chunks.push(c)
    expect(sha256(Buffer.concat(chunks))).toBe(r.packaged.diffId)
    expect(r.layer.diffId).toBe(r.packaged.diffId)
    expect(r.image.layers).toHaveLength(3)
  })

  it('rejects with the one line the StorageError describes', async () => {
    const dir = await tempDir()
    await expect(quickstartPromises(join(dir, 'nothing-here'), '1.0')).rejects.toThrow(
      `Io: ENOENT '${join(dir, 'nothing-here', 'oci-layout')}'`,
    )
  })
})

describe('the demo', () => {
  it('passes every check', async () => {
    const lines: string[] = []
    const ok = await runDemo((l) => lines.push(l))
    expect(lines.filter((l) => l.startsWith('FAIL'))).toEqual([])
    expect(ok).toBe(true)
    expect(lines.at(-1)).toBe('demo: all checks passed')
  })

  it('kept, it names its directory and three commands that work there', async () => {
    const lines: string[] = []
    expect(await runDemo((l) => lines.push(l), { keep: true })).toBe(true)
    const dir = /stay in (\S+) /.exec(lines.find((l) => l.includes('stay in')) ?? '')?.[1]
    expect(dir).toBeDefined()
    try {
      const cmds = nextCommands(dir!, `node ${BIN}`)
      expect(lines.slice(-4, -1)).toEqual(nextCommands(dir!).map((c) => `  ${c}`))
      for (const c of cmds) execSync(c, { stdio: 'pipe' })
      expect((await stat(join(dir!, 'db-root', 'etc'))).isDirectory()).toBe(true)
    } finally {
      await rm(dir!, { recursive: true, force: true })
    }
  })
})
