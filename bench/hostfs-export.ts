/**
 * `stratum export` speed on real data: the rootfs layer of the bench image (bench/data/build-image.sh)
 * extracted once into a directory, then copied by export's copy (core/src/store/copy-tree.ts: a read-only
 * hostFileTree, as over a snapshot's directory, into a hostFileTree over an empty directory,
 * owners kept) against `cp -a` of the same tree, in the same run (median of RUNS, interleaved,
 * each side first in every other run; the copies removed only at the end: ext4 makes each file
 * creation after a mass deletion slower, which would penalize whichever side ran next).
 * Target: <= 1.5x cp's wall time. Where the C library binding loads, both ways the trees make their
 * calls (native: *at calls on the pinned descriptors; /proc: Node's calls through /proc paths), interleaved.
 *
 * Run from the repository root:
 *   npx tsx --conditions=@stratum/source bench/hostfs-export.ts [--small] [--dir DIR] [--runs N]
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { copyTree } from '../packages/core/src/store/copy-tree.js'
import { steps } from '../packages/core/src/store/steps.js'
import { releaseHostDescriptors } from '../packages/zfs-driver/src/hostfs/dir-cache.js'
import { hostFileTree, libcSupport } from '../packages/zfs-driver/src/index.js'
import { median } from './common.js'

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i < 0 ? undefined : process.argv[i + 1]
}
const small = process.argv.includes('--small')
const base = arg('--dir') ?? tmpdir()
const runs = Number(arg('--runs') ?? 3)
const root = process.getuid?.() === 0

const here = dirname(fileURLToPath(import.meta.url))
const built = execFileSync(join(here, 'data/build-image.sh'), small ? ['--small'] : [], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
const tars = /^tars=(.*)$/m.exec(built)![1]!
console.log(
  built
    .split('\n')
    .filter((l) => /^(data=|layer1)/.test(l))
    .join('\n'),
)

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9
const rmrf = (dir: string): void => {
  execFileSync('rm', ['-rf', dir])
}

const source = mkdtempSync(join(base, 'bench-export-src-'))
execFileSync('tar', ['-xf', join(tars, 'layer1.tar'), '-C', source])

const made: string[] = []
const fresh = (what: string): string => {
  const dir = mkdtempSync(join(base, `bench-export-${what}-`))
  made.push(dir)
  return dir
}

const cpA = (): number => {
  const dir = fresh('cp')
  const t0 = process.hrtime.bigint()
  execFileSync('cp', ['-a', `${source}/.`, dir])
  return seconds(t0)
}

const modes = libcSupport() ? [true, false] : [false]

const exportCopy = async (native: boolean): Promise<number> => {
  const dir = fresh('dst')
  const t0 = process.hrtime.bigint()
  const src = hostFileTree(source, { readOnly: true, reservedRootNames: ['.zfs'], native })
  const dst = hostFileTree(dir, { readOnly: false, deviceNodes: root, native })
  const r = await steps(() => copyTree(src, dst, { owners: root, onEntry: () => undefined }))()
  const s = seconds(t0)
  // the pinned directories closed, as the idle release would: no event loop turn between copies runs it, and the held descriptors would pass the open-file limit (EMFILE) by --runs 5
  releaseHostDescriptors()
  if (r._tag === 'Left') throw new Error(`export copy: ${JSON.stringify(r.left)}`)
  return s
}

try {
  await exportCopy(modes[0]!) // warm-up: the source in the page cache, the code compiled
  const c: number[] = []
  const e = new Map<boolean, number[]>(modes.map((m) => [m, []]))
  for (let i = 0; i < runs; i++) {
    // the sides in turn, each first in some run
    const sides = [...modes, undefined]
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(i + k) % sides.length]
      if (side === undefined) c.push(cpA())
      else e.get(side)!.push(await exportCopy(side))
    }
  }
  const mc = median(c)
  const each = modes.map((m) => {
    const me = median(e.get(m)!)
    return `${m ? 'native' : '/proc'} ${me.toFixed(3)} s ${(me / mc).toFixed(2)}x`
  })
  console.log(
    `rootfs layer: export copy ${each.join(', ')}; cp -a ${mc.toFixed(3)} s (target <= 1.5x); load ${loadavg()[0]!.toFixed(2)}`,
  )
} finally {
  for (const dir of [source, ...made]) rmrf(dir)
}
