/**
 * The zstd writer's throughput (compressStream 'zstd': @bokuweb/zstd-wasm, frames of 4 MiB of
 * tar, level 3) as a ratio to `zstd -3 -T1` (the zstd tool, one thread) and to the gzip writer,
 * on the same real layer (bench data's layer1.tar, a Debian rootfs), each timed in this run.
 * Also checks that `zstd -d` reads back the tar. Run:
 * npx tsx --conditions=@stratum/source bench/zstd-write.ts [--small] [--runs N]
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Compression, sha256 } from '../packages/core/src/index.js'
import { compressStream } from '../packages/core/src/internal.js'
import { benchTars, medianSeconds } from './common.js'

const args = process.argv.slice(2)
const runs = Number(args[args.indexOf('--runs') + 1] || 3)
const small = args.includes('--small')

const tars = benchTars(small)
const tarPath = join(tars, 'layer1.tar')
const tar = readFileSync(tarPath)
const mb = tar.length / 1024 ** 2

const time = (f: () => Promise<unknown> | unknown): Promise<number> => medianSeconds(runs, f)

async function* chunks(): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < tar.length; i += 1 << 20) yield tar.subarray(i, i + (1 << 20))
}
const writer = async (c: Compression): Promise<Buffer> => {
  const out: Uint8Array[] = []
  for await (const x of compressStream(chunks(), c)) out.push(x)
  return Buffer.concat(out)
}

const ours = await writer('zstd')
const back = execFileSync('zstd', ['-d', '-c'], { input: ours, maxBuffer: 1 << 30 })
if (sha256(back) !== sha256(tar)) throw new Error('zstd -d did not give the tar back')
const tool = spawnSync('zstd', ['-3', '-T1', '-c', tarPath], { maxBuffer: 1 << 30 }).stdout
console.log(
  `layer1.tar: ${mb.toFixed(0)} MiB; ours ${(ours.length / 1024 ** 2).toFixed(1)} MiB, zstd -3 ${(tool.length / 1024 ** 2).toFixed(1)} MiB`,
)
const toolS = await time(() => {
  const r = spawnSync('zstd', ['-3', '-T1', '-c', tarPath], { stdio: ['ignore', 'ignore', 'inherit'] })
  if (r.status !== 0) throw new Error('zstd -3 failed')
})
const oursS = await time(() => writer('zstd'))
const gzipS = await time(() => writer('gzip'))
console.log(
  `zstd writer ${oursS.toFixed(3)} s (${(mb / oursS).toFixed(0)} MiB/s) vs zstd -3 -T1 ${toolS.toFixed(3)} s: ` +
    `${(oursS / toolS).toFixed(2)}x; vs the gzip writer ${gzipS.toFixed(3)} s: ${(oursS / gzipS).toFixed(2)}x`,
)
