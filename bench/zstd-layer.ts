/**
 * The zstd layer path's throughput, as ratios to `zstd -d` and to the gzip path, on the same
 * real layer (bench data's layer1.tar, a Debian rootfs): each blob goes through
 * `verifiedLayerStream` (decompression, blob digest, diffID) to its end, no apply. The zstd
 * blobs are made by the zstd tool (level 3, its default, and level 19), the gzip blob by zlib (level 6).
 * Run: npx tsx --conditions=@stratum/source bench/zstd-layer.ts [--small] [--runs N]
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { createReadStream, readFileSync, statSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { DEFAULT_DECOMPRESS_LIMITS, MEDIA_LAYER_GZIP, MEDIA_LAYER_ZSTD, sha256 } from '../packages/core/src/index.js'
import { asDiffId, verifiedLayerStream } from '../packages/core/src/internal.js'
import { benchTars, medianSeconds } from './common.js'

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1] || 3)
const small = args.includes('--small')

const tars = benchTars(small)
const tarPath = join(tars, 'layer1.tar')
const tar = readFileSync(tarPath)
const diffId = asDiffId(sha256(tar))

const time = (f: () => Promise<unknown> | unknown): Promise<number> => medianSeconds(runs, f)

const throughLayerPath = async (path: string, mediaType: string): Promise<void> => {
  const blob = readFileSync(path)
  const v = verifiedLayerStream(
    createReadStream(path, { highWaterMark: 1 << 20 }),
    { mediaType, digest: sha256(blob), diffId },
    {
      limits: DEFAULT_DECOMPRESS_LIMITS,
    },
  )
  if (v._tag === 'Left') throw new Error(JSON.stringify(v.left))
  const r = await v.right.finish({ _tag: 'Right', right: undefined })()
  if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
}

const dir = await mkdtemp(join(tmpdir(), 'stratum-zstd-bench-'))
try {
  const gz = join(dir, 'layer.tar.gz')
  await writeFile(gz, gzipSync(tar))
  const mb = tar.length / 1024 ** 2
  console.log(`layer1.tar: ${mb.toFixed(0)} MiB; gzip ${(statSync(gz).size / 1024 ** 2).toFixed(1)} MiB`)
  const gzipS = await time(() => throughLayerPath(gz, MEDIA_LAYER_GZIP))
  for (const level of [3, 19]) {
    const zst = join(dir, `layer.${level}.tar.zst`)
    execFileSync('zstd', ['-q', '-f', `-${level}`, tarPath, '-o', zst])
    const toolS = await time(() => {
      const r = spawnSync('zstd', ['-d', '-c', zst], { stdio: ['ignore', 'ignore', 'inherit'] })
      if (r.status !== 0) throw new Error('zstd -d failed')
    })
    const pathS = await time(() => throughLayerPath(zst, MEDIA_LAYER_ZSTD))
    console.log(
      `zstd -${level} (${(statSync(zst).size / 1024 ** 2).toFixed(1)} MiB): layer path ${pathS.toFixed(3)} s ` +
        `(${(mb / pathS).toFixed(0)} MiB/s) vs zstd -d ${toolS.toFixed(3)} s: ${(pathS / toolS).toFixed(2)}x; ` +
        `vs the gzip path ${gzipS.toFixed(3)} s: ${(pathS / gzipS).toFixed(2)}x`,
    )
  }
} finally {
  await rm(dir, { recursive: true, force: true })
}
