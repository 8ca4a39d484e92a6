/**
 * The simulator's state file through the CLI (the built binary, packages/cli/dist/stratum.js; run
 * `npx -y pnpm@10.34.8 build` first), each figure a ratio against a baseline measured in the same run:
 *  1. `stratum extract` of the bench image (bench/data/build-image.sh) vs `umoci unpack --rootless`
 *     of the same layout: target <= 2x wall;
 *  2. `stratum extract-layer` of a 100k-entry layer vs a 1k-entry layer: target <= 120x;
 *  3. `stratum ls layers` (wall and peak RSS) and a 10-file `extract-layer`, on a store holding
 *     3 rootfs-sized layers vs an empty store: target <= 1.5x each;
 *  4. `stratum package` of a 10-change layer on the rootfs layer (target <= 0.5 s), and on the
 *     100k-entry layer vs the 1k-entry layer (target <= 1.5x).
 * Run from the repository root: npx tsx --conditions=@stratum/source bench/sim-store.ts [--small]
 * (--small: the synthetic image of build-image.sh --small, for a quick look).
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildTar, type TarSpec } from '../packages/cli/src/demo/tar.js'
import { median } from './common.js'

const BIN = join(import.meta.dirname, '..', 'packages', 'cli', 'dist', 'stratum.js')
const small = process.argv.includes('--small')
const work = mkdtempSync(join(tmpdir(), 'bench-sim-store-'))

/** Runs a command under /usr/bin/time: wall seconds and peak RSS (KiB); stdout returned. */
const timed = (cmd: string, args: readonly string[]): { s: number; rssKb: number; out: string } => {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: exit ${r.status}: ${r.stderr.slice(-2000)}`)
  const [s, kb] = r.stderr.trim().split('\n').at(-1)!.split(' ').map(Number)
  return { s: s!, rssKb: kb!, out: r.stdout }
}
const stratum = (state: string, ...args: string[]) =>
  timed(process.execPath, [BIN, '--json', '--state', state, ...args])
const json = <A>(r: { out: string }): A => JSON.parse(r.out) as A
const ratio = (a: number, b: number): string => (a / b).toFixed(2)
const verdict = (x: number, target: number): string => (x <= target ? 'met' : 'NOT met')

const image = execFileSync(
  'bash',
  [join(import.meta.dirname, 'data', 'build-image.sh'), ...(small ? ['--small'] : [])],
  { encoding: 'utf8' },
)
const layout = /layout=(\S+) tag=(\S+)/.exec(image)!
const tars = /tars=(\S+)/.exec(image)![1]!
console.log(
  `sim-store bench, data: ${
    image
      .trim()
      .split('\n')
      .find((l) => l.startsWith('data=')) ?? 'unknown'
  }${small ? ' (--small)' : ''}`,
)

// 1. extract of the image vs umoci unpack
const full = join(work, 'full')
const ours = stratum(full, 'extract', `${layout[1]}:${layout[2]}`)
const top = json<{ layers: { chainId: string }[] }>(ours).layers
const umoci = timed('umoci', ['unpack', '--rootless', '--image', `${layout[1]}:${layout[2]}`, join(work, 'bundle')])
rmSync(join(work, 'bundle'), { recursive: true, force: true })
console.log(
  `1. extract of the 3-layer image: stratum ${ours.s.toFixed(2)} s, umoci unpack --rootless ${umoci.s.toFixed(2)} s: ${ratio(ours.s, umoci.s)}x (target <= 2x: ${verdict(ours.s / umoci.s, 2)})`,
)

// 2. 100k-entry vs 1k-entry layer, 100 files per directory
const layerOf = (n: number): string => {
  const specs: TarSpec[] = []
  for (let i = 0; i < n; i++) {
    if (i % 100 === 0) specs.push({ path: `d${i / 100}`, type: 'dir' })
    specs.push({ path: `d${Math.floor(i / 100)}/f${i}`, body: `file ${i}\n` })
  }
  const file = join(work, `layer-${n}.tar`)
  writeFileSync(file, buildTar(specs))
  return file
}
const big = small ? 10_000 : 100_000
const sizes = [1_000, big].map((n) => {
  const state = join(work, `entries-${n}`)
  const r = stratum(state, 'extract-layer', 'empty', layerOf(n))
  return { n, s: r.s, state, chain: json<{ chainId: string }>(r).chainId }
})
const [k1, k100] = sizes as [(typeof sizes)[0], (typeof sizes)[0]]
console.log(
  `2. extract-layer: ${k100.n} entries ${k100.s.toFixed(2)} s, ${k1.n} entries ${k1.s.toFixed(2)} s: ${ratio(k100.s, k1.s)}x (target <= ${small ? 12 : 120}x: ${verdict(k100.s / k1.s, small ? 12 : 120)})`,
)

// 3. a store holding 3 rootfs-sized layers vs an empty one
const rootfsTar = join(tars, 'layer1.tar')
let parent = top.at(-1)!.chainId
for (let i = 0; i < 2; i++)
  parent = json<{ chainId: string }>(stratum(full, 'extract-layer', parent, rootfsTar)).chainId
const empty = join(work, 'empty')
stratum(empty, 'init')
const tenFiles = (i: number) => {
  const file = join(work, `ten-${i}.tar`)
  writeFileSync(file, buildTar(Array.from({ length: 10 }, (_, j) => ({ path: `ten-${i}-${j}`, body: `${i} ${j}\n` }))))
  return file
}
const onStore = (state: string, offset: number) => {
  const ls = [0, 1, 2].map(() => stratum(state, 'ls', 'layers'))
  const ext = [0, 1, 2].map((i) => stratum(state, 'extract-layer', 'empty', tenFiles(offset + i)).s)
  return { ls: median(ls.map((r) => r.s)), rss: median(ls.map((r) => r.rssKb)), ext: median(ext) }
}
const e = onStore(empty, 0)
const f = onStore(full, 10)
console.log(
  `3. ls layers: 3 rootfs ${f.ls.toFixed(2)} s, empty ${e.ls.toFixed(2)} s: ${ratio(f.ls, e.ls)}x (target <= 1.5x: ${verdict(f.ls / e.ls, 1.5)})`,
)
console.log(
  `   ls layers peak RSS: 3 rootfs ${(f.rss / 1024).toFixed(0)} MiB, empty ${(e.rss / 1024).toFixed(0)} MiB: ${ratio(f.rss, e.rss)}x (target <= 1.5x: ${verdict(f.rss / e.rss, 1.5)})`,
)
console.log(
  `   10-file extract-layer: 3 rootfs ${f.ext.toFixed(2)} s, empty ${e.ext.toFixed(2)} s: ${ratio(f.ext, e.ext)}x (target <= 1.5x: ${verdict(f.ext / e.ext, 1.5)})`,
)

// 4. package of 10 changes: 5 rewritten, 3 added, 2 deleted
const changes = (root: readonly string[]): string => {
  const file = join(work, `changes-${root.length}-${Math.random().toString(16).slice(2)}.tar`)
  writeFileSync(
    file,
    buildTar([
      ...root.slice(0, 5).map((p) => ({ path: p, body: 'rewritten\n' })),
      ...[0, 1, 2].map((i) => ({ path: `added-${i}`, body: 'added\n' })),
      ...root.slice(5, 7).map((p) => ({ path: p.replace(/[^/]+$/, (b) => `.wh.${b}`) })),
    ]),
  )
  return file
}
const packageOn = (state: string, chain: string, paths: readonly string[]) => {
  const layer = json<{ chainId: string }>(stratum(state, 'extract-layer', chain, changes(paths))).chainId
  return median([0, 1, 2].map((i) => stratum(state, 'package', layer, '-o', join(work, `pkg-${i}.tar`)).s))
}
const rootfsFiles = [
  'etc/hostname',
  'etc/debian_version',
  'etc/issue',
  'etc/issue.net',
  'etc/host.conf',
  'etc/shells',
  'etc/networks',
]
const startup = median([0, 1, 2].map(() => timed(process.execPath, [BIN, '--help']).s))
const pr = packageOn(full, top[0]!.chainId, small ? rootfsFiles.map((_, i) => `etc/f${i}`) : rootfsFiles)
console.log(
  `4. package of 10 changes on the rootfs layer: ${pr.toFixed(2)} s (process start alone, stratum --help: ${startup.toFixed(2)} s) (target <= 0.5 s: ${verdict(pr, 0.5)})`,
)
const pathsIn = (n: number) =>
  Array.from({ length: 7 }, (_, i) => {
    const f = Math.floor((i * n) / 7) + 1
    return `d${Math.floor(f / 100)}/f${f}`
  })
const p100 = packageOn(k100.state, k100.chain, pathsIn(k100.n))
const p1 = packageOn(k1.state, k1.chain, pathsIn(k1.n))
console.log(
  `   package of 10 changes: on ${k100.n} entries ${p100.toFixed(2)} s, on ${k1.n} entries ${p1.toFixed(2)} s: ${ratio(p100, p1)}x (target <= 1.5x: ${verdict(p100 / p1, 1.5)})`,
)
rmSync(work, { recursive: true, force: true })
