/** Helpers for the shared-*.test.ts files: small layer tars and images, child processes, store invariants. */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { join } from 'node:path'
import {
  type AnyName, type DatasetName, type Driver, END_OF_ARCHIVE, encodeHeader, type LayerStore, layerBlob, PROP, type StorageError,
  type WrittenImage, writeImageLayout,
} from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import { expect } from 'vitest'

export const CHILD_BASE = 'testpool/stratum'
const repoRoot = join(import.meta.dirname, '..', '..', '..')

export const ok = async <A>(te: TaskEither<StorageError, A>): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}

type Spec = { path: string; dir?: true; content?: string; whiteout?: true }

/** An uncompressed tar of these entries (files 0644, directories 0755, fixed mtime). */
export const makeTar = (entries: readonly Spec[]): Uint8Array => {
  const parts: Uint8Array[] = []
  for (const e of entries) {
    const i = e.path.lastIndexOf('/')
    const path = e.whiteout ? `${e.path.slice(0, i + 1)}.wh.${e.path.slice(i + 1)}` : e.path
    const body = new TextEncoder().encode(e.content ?? '')
    parts.push(encodeHeader({ path, type: e.dir ? 'dir' : 'file', mode: e.dir ? 0o755 : 0o644, uid: 0, gid: 0, mtimeMs: 1_600_000_000_000, size: e.dir ? 0 : body.length }))
    if (!e.dir) {
      parts.push(body)
      parts.push(new Uint8Array((512 - (body.length % 512)) % 512))
    }
  }
  parts.push(END_OF_ARCHIVE)
  return new Uint8Array(Buffer.concat(parts))
}

const files = (dir: string, n: number, tag: string): Spec[] =>
  [{ path: dir, dir: true }, ...Array.from({ length: n }, (_, i) => ({ path: `${dir}/f${i}`, content: `${tag} ${i}` }))]

/** Four layers; images share prefixes: a = [L0, L1], b = [L0, L1, L2], c = [L0, L3], d = [L0, L3, L2]. */
export const LAYERS = [
  makeTar(files('bin', 8, 'base')),
  makeTar(files('etc', 6, 'one')),
  makeTar([...files('srv', 5, 'two'), { path: 'bin/f0', whiteout: true }]),
  makeTar(files('opt', 6, 'three')),
]
export const IMAGES: Readonly<Record<string, readonly number[]>> = { a: [0, 1], b: [0, 1, 2], c: [0, 3], d: [0, 3, 2] }

export const writeImages = async (dir: string): Promise<Record<string, WrittenImage>> => {
  const out: Record<string, WrittenImage> = {}
  for (const [ref, layers] of Object.entries(IMAGES)) out[ref] = await ok(writeImageLayout(dir, ref, layers.map((i) => layerBlob(LAYERS[i]!))))
  return out
}

/** The change every churned container gets before its commit. */
export const CHURN_TAR = makeTar(files('data', 3, 'churn'))

export interface Child {
  readonly proc: ChildProcessWithoutNullStreams
  readonly out: () => string
  readonly err: () => string
  readonly exited: Promise<number | null>
}

/** Runs test/shared-child.ts in a new Node process (sources through tsx). */
export const spawnChild = (args: readonly string[]): Child => {
  const proc = spawn(process.execPath, ['--conditions=@stratum/source', '--import', 'tsx', join(import.meta.dirname, 'shared-child.ts'), ...args], {
    cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  proc.stdout.on('data', (b: Buffer) => { out += b.toString() })
  proc.stderr.on('data', (b: Buffer) => { err += b.toString() })
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)))
  return { proc, out: () => out, err: () => err, exited }
}

export const waitFor = async (cond: () => boolean, ms: number): Promise<void> => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 10))
  }
}

/** Every entry's path, type and content, sorted: enough to compare trees across runs. */
export const treeOf = async (d: Driver, name: AnyName): Promise<string[]> => {
  const t = await ok(d.fs(name))
  const out: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const n of await ok(t.readdir(dir))) {
      const p = dir === '' ? n : `${dir}/${n}`
      const st = await ok(t.lstat(p))
      let content = ''
      if (st.type === 'F') for await (const c of await ok(t.read(p))) content += Buffer.from(c).toString()
      out.push(`${p} ${st.type} ${content}`)
      if (st.type === '/') await walk(p)
    }
  }
  await walk('')
  return out
}

/** After recovery: nothing in tmp/, no container snapshot, every layer published and ready. */
export const expectRecovered = async (d: Driver, s: LayerStore): Promise<void> => {
  const all = await ok(d.list(s.layout.base))
  expect(all.filter((i) => i.name.startsWith(`${s.layout.tmp}/`)).map((i) => i.name)).toEqual([])
  expect(all.filter((i) => i.name.startsWith(`${s.layout.runtime}/`) && i.type === 'snapshot').map((i) => i.name)).toEqual([])
  for (const i of all.filter((x) => x.name.startsWith(`${s.layout.storage}/`) && x.type === 'filesystem')) {
    expect(all.some((x) => x.name === `${i.name}@extracted`), `${i.name} has @extracted`).toBe(true)
    if (!i.name.endsWith('/empty')) expect(i.properties[PROP.state], `${i.name} state`).toBe('ready')
  }
  expect(all.filter((x) => x.name.startsWith(`${s.layout.storage}/`) && x.type === 'snapshot' && !x.name.endsWith('@extracted'))).toEqual([])
  // no progress record left on a published layer's snapshot
  expect(all.filter((x) => x.name.startsWith(`${s.layout.storage}/`) && x.type === 'snapshot' && ![undefined, 'ready'].includes(x.properties[PROP.state])).map((x) => x.name)).toEqual([])
}

export const storageChildren = async (d: Driver, s: LayerStore): Promise<string[]> =>
  (await ok(d.list(s.layout.storage))).filter((i) => i.type === 'filesystem' && i.name !== s.layout.storage)
    .map((i) => i.name.slice(s.layout.storage.length + 1)).sort()

export const asDataset = (n: string): DatasetName => n as DatasetName
