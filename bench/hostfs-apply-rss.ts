/**
 * Peak RSS of an apply through `applyLayer` + `hostFileTree` into an empty directory: a 1 GB
 * layer against a 100 MB layer of the same shape (ten times the entries and bytes), each in a
 * fresh process (peak RSS from the kernel: process.resourceUsage().maxRSS), in the same run
 * (median of RUNS, interleaved). Target: <= 1.3x.
 *
 * Shape of the 100 MB layer: 1,000 files of 4 KiB in 10 directories, 40 files of 1 MiB and one
 * file of 56 MiB (a big file must stream, not buffer); the 1 GB layer has 10x of each (the big
 * file 560 MiB). The tars are written once into $STRATUM_BENCH_CACHE (default
 * /var/cache/stratum-bench)/apply-rss-v1/.
 *
 * Run from the repository root:
 *   npx tsx --conditions=@stratum/source bench/hostfs-apply-rss.ts [--dir DIR] [--runs N]
 */
import { spawnSync } from 'node:child_process'
import { createReadStream, existsSync, mkdirSync, mkdtempSync, openSync, renameSync, rmSync } from 'node:fs'
import { closeSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyLayer, type Capabilities } from '../packages/core/src/index.js'
import { END_OF_ARCHIVE, encodeHeader } from '../packages/core/src/internal.js'
import { hostFileTree, xattrSupport } from '../packages/zfs-driver/src/index.js'

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i < 0 ? undefined : process.argv[i + 1]
}
const root = process.getuid?.() === 0
const MiB = 1 << 20

/** Child: applies the tar into the directory, prints the peak RSS in KiB. */
const child = async (tar: string, dir: string): Promise<void> => {
  const caps: Capabilities = {
    xattrs: xattrSupport(),
    deviceNodes: root,
    chown: root,
    hostPaths: true,
  }
  const r = await applyLayer(
    hostFileTree(dir, { readOnly: false, deviceNodes: root }),
    createReadStream(tar, { highWaterMark: 1 << 18 }),
    { capabilities: caps },
  )()
  if (r._tag === 'Left') throw new Error(`apply of ${tar}: ${JSON.stringify(r.left)}`)
  console.log(`maxrss=${process.resourceUsage().maxRSS}`)
}

/** Writes the layer of `scale` x 100 MB (see the shape above) to `path`, streaming. */
const writeLayer = (path: string, scale: number): void => {
  const fd = openSync(`${path}.tmp`, 'w')
  const data = Buffer.alloc(MiB, 0x5a)
  const put = (b: Uint8Array): void => {
    let off = 0
    while (off < b.length) off += writeSync(fd, b, off, b.length - off)
  }
  const header = (p: string, type: 'dir' | 'file', size: number): void =>
    put(encodeHeader({ path: p, type, mode: type === 'dir' ? 0o755 : 0o644, uid: 0, gid: 0, mtimeMs: 0, size }))
  const file = (p: string, size: number): void => {
    header(p, 'file', size)
    for (let left = size; left > 0; left -= MiB) put(data.subarray(0, Math.min(left, MiB)))
    put(new Uint8Array((512 - (size % 512)) % 512))
  }
  for (let d = 0; d < 10 * scale; d++) {
    header(`small${d}/`, 'dir', 0)
    for (let i = 0; i < 100; i++) file(`small${d}/f${i}`, 4096)
  }
  header('big/', 'dir', 0)
  for (let i = 0; i < 40 * scale; i++) file(`big/m${i}`, MiB)
  file('big/huge', 56 * scale * MiB)
  put(END_OF_ARCHIVE)
  closeSync(fd)
  renameSync(`${path}.tmp`, path)
}

const parent = (): void => {
  const base = arg('--dir') ?? tmpdir()
  const runs = Number(arg('--runs') ?? 3)
  const cache = join(process.env.STRATUM_BENCH_CACHE ?? '/var/cache/stratum-bench', 'apply-rss-v1')
  mkdirSync(cache, { recursive: true })
  const tars = { small: join(cache, '100M.tar'), large: join(cache, '1G.tar') }
  if (!existsSync(tars.small)) writeLayer(tars.small, 1)
  if (!existsSync(tars.large)) writeLayer(tars.large, 10)

  const rssOf = (tar: string): number => {
    const dir = mkdtempSync(join(base, 'bench-apply-rss-'))
    try {
      const r = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--child', tar, dir], {
        encoding: 'utf8',
      })
      const m = /^maxrss=(\d+)$/m.exec(r.stdout)
      if (r.status !== 0 || m === null) throw new Error(`apply of ${tar}: exit ${r.status}: ${r.stderr.slice(-2000)}`)
      return Number(m[1]) / 1024
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
  const s: number[] = []
  const l: number[] = []
  for (let i = 0; i < runs; i++) {
    s.push(rssOf(tars.small))
    l.push(rssOf(tars.large))
  }
  const [ms, ml] = [median(s), median(l)]
  console.log(
    `apply peak RSS: 1 GB layer ${ml.toFixed(1)} MiB, 100 MB layer ${ms.toFixed(1)} MiB, ratio ${(ml / ms).toFixed(2)}x (target <= 1.3x: ${ml / ms <= 1.3 ? 'met' : 'NOT met'})`,
  )
}

const c = process.argv.indexOf('--child')
if (c >= 0) await child(process.argv[c + 1]!, process.argv[c + 2]!)
else parent()
