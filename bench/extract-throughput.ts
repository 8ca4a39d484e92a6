/**
 * Extract throughput on the simulator: a multi-MB layer (gzip and plain tar) extracted into a
 * fresh LayerStore, against a baseline measured in the same run: the same bytes through the
 * verification pipeline alone (A: gunzip + sha256 of blob and tar; B: sha256 of the plain tar; no apply).
 * Run: npx tsx bench/extract-throughput.ts [MiB]
 */
import { randomBytes } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import {
  MEDIA_LAYER_GZIP,
  MEDIA_LAYER_TAR,
  type DiffId,
  type StorageError,
  datasetName,
  openLayerStore,
  sha256,
} from '../packages/core/src/index.js'
import { END_OF_ARCHIVE, FailureSlot, Tap, encodeHeader, gunzip } from '../packages/core/src/internal.js'
import { createSimDriver } from '../packages/sim-driver/src/index.js'
import { median } from './common.js'

type Result<A> = { _tag: 'Left'; left: StorageError } | { _tag: 'Right'; right: A }
const ok = async <A>(te: () => Promise<Result<A>>): Promise<A> => {
  const r = await te()
  if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
  return r.right
}

const FILE = 64 * 1024
const mib = Number(process.argv[2] ?? 24)

/** dirs of 64 KiB files, each half random and half zeros (gzip ratio about 2). */
const buildTar = (): Uint8Array => {
  const parts: Uint8Array[] = []
  const files = Math.ceil((mib * 1024 * 1024) / FILE)
  const perDir = 32
  for (let i = 0; i < files; i++) {
    const dir = `d${Math.floor(i / perDir)}`
    if (i % perDir === 0)
      parts.push(encodeHeader({ path: dir, type: 'dir', mode: 0o755, uid: 0, gid: 0, mtimeMs: 1.6e12, size: 0 }))
    const data = Buffer.concat([randomBytes(FILE / 2), Buffer.alloc(FILE / 2)])
    parts.push(
      encodeHeader({
        path: `${dir}/f${i}`,
        type: 'file',
        mode: 0o644,
        uid: 0,
        gid: 0,
        mtimeMs: 1.6e12,
        size: data.length,
      }),
      data,
    )
  }
  parts.push(END_OF_ARCHIVE)
  return new Uint8Array(Buffer.concat(parts))
}

async function* chunks(b: Uint8Array, size = 256 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.byteLength; i += size) yield b.subarray(i, i + size)
}

const time = async (f: () => Promise<unknown>): Promise<number> => {
  const t0 = process.hrtime.bigint()
  await f()
  return Number(process.hrtime.bigint() - t0) / 1e9
}

const main = async (): Promise<void> => {
  const tar = buildTar()
  const gz = gzipSync(tar)
  const diffId = sha256(tar) as DiffId
  const MB = tar.byteLength / 1e6
  const runs = 3

  const hashOnly = async (): Promise<void> => {
    await ok(new Tap(chunks(tar), 'tar').finish())
  }
  const verifyOnly = async (): Promise<void> => {
    const blob = new Tap(chunks(gz), 'blob')
    const t = new Tap(gunzip(blob, 'bench', new FailureSlot()), 'tar')
    await ok(t.finish())
    await ok(blob.finish())
  }
  const extract = (blob: Uint8Array, mediaType: string) => async (): Promise<void> => {
    const s = await ok(openLayerStore(createSimDriver(), datasetName('testpool/bench')))
    await ok(s.extractLayer('empty', chunks(blob), { mediaType, diffId }))
  }

  await verifyOnly() // warm-up
  const measure = async (f: () => Promise<void>): Promise<number> => {
    const xs: number[] = []
    for (let i = 0; i < runs; i++) xs.push(await time(f))
    return median(xs)
  }
  const base = await measure(verifyOnly)
  const baseTar = await measure(hashOnly)
  const gzT = await measure(extract(gz, MEDIA_LAYER_GZIP))
  const tarT = await measure(extract(tar, MEDIA_LAYER_TAR))

  const s = await ok(openLayerStore(createSimDriver(), datasetName('testpool/bench')))
  await ok(s.extractLayer('empty', chunks(gz), { mediaType: MEDIA_LAYER_GZIP, diffId }))
  const reuseT = await time(() => ok(s.extractLayer('empty', chunks(gz), { mediaType: MEDIA_LAYER_GZIP, diffId })))

  const line = (name: string, sec: number, against?: number): string =>
    `${name.padEnd(40)} ${(MB / sec).toFixed(1).padStart(8)} MB/s  ${(sec * 1000).toFixed(0).padStart(6)} ms` +
    (against === undefined ? '' : `  ${(against / sec).toFixed(2)}x of its baseline's speed`)
  console.log(
    `layer: ${MB.toFixed(1)} MB uncompressed, ${(gz.byteLength / 1e6).toFixed(1)} MB gzip, ${Math.ceil((mib * 1024 * 1024) / FILE)} files; median of ${runs}`,
  )
  console.log(line('baseline A: gunzip + sha256 (no apply)', base))
  console.log(line('baseline B: sha256 of the tar (no apply)', baseTar))
  console.log(line('extract tar+gzip on the simulator', gzT, base))
  console.log(line('extract plain tar on the simulator', tarT, baseTar))
  console.log(`${'re-extract (reused by chainID)'.padEnd(40)} ${(reuseT * 1000).toFixed(2).padStart(8)} ms`)
}

main().catch((e: unknown) => {
  console.error(e)
  process.exitCode = 1
})
