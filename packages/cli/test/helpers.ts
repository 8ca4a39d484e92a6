/** Test helpers: a temp directory per test, the CLI run in-process (on a sim state file or a zfs base) or as the built binary, images. */
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach } from 'vitest'
import { layerBlob, writeImageLayout, type WrittenImage } from '@stratum/core'
import { captureIo } from '../src/io.js'
import { main } from '../src/main.js'
import { buildTar, type TarSpec } from '../src/demo/tar.js'

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })))
})

export const tempDir = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'stratum-cli-test-'))
  dirs.push(d)
  return d
}

export interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** `stratum <globals> <args>` in-process, cwd = dir: `globals` pick the backend (see simGlobals, zfsGlobals). */
export const cliOn =
  (dir: string, globals: readonly string[]) =>
  async (...args: string[]): Promise<Run> => {
    const io = captureIo({ cwd: dir })
    const code = await main([...globals, ...args], io)
    return { code, stdout: io.out(), stderr: io.err() }
  }

/** Like cliOn, with --json, failing the test unless the exit code is 0 and the document has `version: 1` (returned without it). */
export const jsonOn =
  (dir: string, globals: readonly string[]) =>
  async <A = Record<string, unknown>>(...args: string[]): Promise<A> => {
    const r = await cliOn(dir, globals)('--json', ...args)
    if (r.code !== 0) throw new Error(`stratum ${[...globals, ...args].join(' ')}: exit ${r.code}: ${r.stderr}`)
    const { version, ...doc } = JSON.parse(r.stdout) as { version: unknown }
    if (version !== 1) throw new Error(`stratum ${args.join(' ')}: --json document without version 1: ${r.stdout}`)
    return doc as A
  }

/** The simulator on the state file `<dir>/state`. */
export const simGlobals = (dir: string): readonly string[] => ['--state', join(dir, 'state')]

/** Real ZFS under the base dataset `base`. */
export const zfsGlobals = (base: string): readonly string[] => ['--driver', 'zfs', '--base', base]

/** `stratum --state <dir>/state <args>` in-process, cwd = dir. */
export const cliAt = (dir: string) => cliOn(dir, simGlobals(dir))

/** Like cliAt, with --json, failing the test unless the exit code is 0. */
export const jsonAt = (dir: string) => jsonOn(dir, simGlobals(dir))

/** The built binary, as package.json "bin" names it (`npx tsc -b` writes it). */
export const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'stratum.js')

/** `node dist/stratum.js <args>` in a real process, cwd = cwd, with only PATH in its environment. */
export const runBinary = async (cwd: string, ...args: string[]): Promise<Run> =>
  promisify(execFile)(process.execPath, [BIN, ...args], { cwd, env: { PATH: process.env.PATH } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  )

export const writeImage = async (
  dir: string,
  tag: string,
  layers: readonly (readonly TarSpec[])[],
): Promise<WrittenImage> => {
  const w = await writeImageLayout(
    dir,
    tag,
    layers.map((l) => layerBlob(buildTar(l))),
  )()
  if (E.isLeft(w)) throw new Error(JSON.stringify(w.left))
  return w.right
}
