/**
 * Fixtures for the LayerStore groups: layer tars built in memory with tar-stream, OCI layouts
 * written into a temp dir, and a comparable snapshot of a file tree.
 */
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type AnyName, type Driver, type FileTree, type LayerBlob, type WrittenImage, layerBlob, writeImageLayout,
} from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import * as tar from 'tar-stream'

export type TarSpec =
  | { readonly path: string; readonly type: 'file'; readonly content: string; readonly mode?: number }
  | { readonly path: string; readonly type: 'dir'; readonly mode?: number }
  | { readonly path: string; readonly type: 'symlink'; readonly target: string }
  | { readonly path: string; readonly type: 'whiteout' }

const MTIME = new Date(1_600_000_000_000)

/** An uncompressed tar of the entries, in order. Whiteouts are empty files named `.wh.<name>`. */
export const buildTar = async (entries: readonly TarSpec[]): Promise<Uint8Array> => {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer))
    pack.on('end', () => resolve())
    pack.on('error', reject)
  })
  for (const e of entries) {
    if (e.type === 'file') pack.entry({ name: e.path, type: 'file', mode: e.mode ?? 0o644, mtime: MTIME }, e.content)
    else if (e.type === 'dir') pack.entry({ name: e.path, type: 'directory', mode: e.mode ?? 0o755, mtime: MTIME })
    else if (e.type === 'symlink') pack.entry({ name: e.path, type: 'symlink', linkname: e.target, mtime: MTIME })
    else {
      const i = e.path.lastIndexOf('/')
      pack.entry({ name: `${e.path.slice(0, i + 1)}.wh.${e.path.slice(i + 1)}`, type: 'file', mode: 0o644, mtime: MTIME }, '')
    }
  }
  pack.finalize()
  await done
  return new Uint8Array(Buffer.concat(chunks))
}

/** The entries of a tar, in order: name, type, and (files) content. */
export const readTar = async (bytes: Uint8Array): Promise<{ name: string; type: string; content: string }[]> => {
  const ex = tar.extract()
  const out: { name: string; type: string; content: string }[] = []
  const done = new Promise<void>((resolve, reject) => {
    ex.on('entry', (h, stream, next) => {
      const parts: Buffer[] = []
      stream.on('data', (c: unknown) => parts.push(c as Buffer))
      stream.on('end', () => { out.push({ name: h.name, type: h.type ?? 'file', content: Buffer.concat(parts).toString('utf8') }); next() })
      stream.resume()
    })
    ex.on('finish', () => resolve())
    ex.on('error', reject)
  })
  ex.end(Buffer.from(bytes))
  await done
  return out
}

export const concat = async (s: AsyncIterable<Uint8Array>): Promise<Uint8Array> => {
  const parts: Uint8Array[] = []
  for await (const c of s) parts.push(c)
  return new Uint8Array(Buffer.concat(parts))
}

export async function* chunked(bytes: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size)
}

/** A temp directory for OCI layouts, removed by `cleanup`. */
export const tempLayoutDir = async (): Promise<{ dir: string; cleanup: () => Promise<void> }> => {
  const dir = await mkdtemp(join(tmpdir(), 'stratum-layout-'))
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) }
}

/** Writes image `ref` of these layer tars (gzip-compressed) into `dir`. */
export const writeImage = async (dir: string, ref: string, layers: readonly (Uint8Array | LayerBlob)[]): Promise<WrittenImage> => {
  const blobs = layers.map((l) => (l instanceof Uint8Array ? layerBlob(l) : l))
  const r = await writeImageLayout(dir, ref, blobs)()
  if (E.isLeft(r)) throw new Error(`writeImageLayout: ${JSON.stringify(r.left)}`)
  return r.right
}

const must = async <A>(te: () => Promise<E.Either<unknown, A>>, what: string): Promise<A> => {
  const r = await te()
  if (E.isLeft(r)) throw new Error(`${what}: ${JSON.stringify(r.left)}`)
  return r.right
}

/**
 * Every entry of a tree as one comparable line: type, mode, owner, size, content hash or
 * link target, and the mtime of non-directories (directory mtimes depend on write order).
 */
export const treeLines = async (driver: Driver, name: AnyName): Promise<string[]> => {
  const t: FileTree = await must(driver.fs(name), `fs(${name})`)
  const out: string[] = []
  const walk = async (dir: string): Promise<void> => {
    for (const n of await must(t.readdir(dir), `readdir(${dir})`)) {
      const p = dir === '' ? n : `${dir}/${n}`
      const st = await must(t.lstat(p), `lstat(${p})`)
      let extra = ''
      if (st.type === 'F') extra = createHash('sha256').update(await concat(await must(t.read(p), `read(${p})`))).digest('hex').slice(0, 16)
      if (st.type === '@') extra = `-> ${await must(t.readlink(p), `readlink(${p})`)}`
      const mtime = st.type === '/' ? '' : ` mtime=${st.mtimeMs}`
      out.push(`${p} ${st.type} ${st.mode.toString(8)} ${st.uid}:${st.gid} size=${st.type === '/' ? '-' : st.size}${mtime} ${extra}`)
      if (st.type === '/') await walk(p)
    }
  }
  await walk('')
  return out
}

/** Only the paths of a tree, sorted. */
export const treePaths = async (driver: Driver, name: AnyName): Promise<string[]> =>
  (await treeLines(driver, name)).map((l) => l.slice(0, l.indexOf(' ')))
