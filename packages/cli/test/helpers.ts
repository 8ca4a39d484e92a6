/** Test helpers: a temp directory per test, the CLI run in-process on its own state file, images. */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
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

/** `stratum --state <dir>/state <args>` in-process, cwd = dir. */
export const cliAt = (dir: string) => async (...args: string[]): Promise<Run> => {
  const io = captureIo({ cwd: dir })
  const code = await main(['--state', join(dir, 'state'), ...args], io)
  return { code, stdout: io.out(), stderr: io.err() }
}

/** Like cliAt, with --json, failing the test unless the exit code is 0. */
export const jsonAt = (dir: string) => async <A = Record<string, unknown>>(...args: string[]): Promise<A> => {
  const r = await cliAt(dir)('--json', ...args)
  if (r.code !== 0) throw new Error(`stratum ${args.join(' ')}: exit ${r.code}: ${r.stderr}`)
  return JSON.parse(r.stdout) as A
}

export const writeImage = async (dir: string, tag: string, layers: readonly (readonly TarSpec[])[]): Promise<WrittenImage> => {
  const w = await writeImageLayout(dir, tag, layers.map((l) => layerBlob(buildTar(l))))()
  if (E.isLeft(w)) throw new Error(JSON.stringify(w.left))
  return w.right
}
