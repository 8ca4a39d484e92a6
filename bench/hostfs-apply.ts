/**
 * hostFileTree apply speed on real data: each layer of the bench image (bench/data/build-image.sh)
 * applied through `applyLayer` + `hostFileTree` into an empty directory, against GNU `tar -xf`
 * of the same uncompressed tar into an empty directory on the same file system, in the same run
 * (median of RUNS, interleaved, each side first in every other run; the trees removed only after
 * all runs of a layer). Target: <= 1.5x tar's wall time (aim 1.2x). Where the C library binding
 * loads, the tree runs both ways it can make its calls (native: *at calls on the pinned
 * descriptors, new files made on the writer thread; /proc: Node's calls through /proc/<pid>/fd
 * paths), interleaved. It runs the compiled packages, as a runtime does (build them first), and
 * reads the tar as tar does, in 1 MiB reads (--stream: through a Node read stream instead).
 *
 * Run from the repository root:
 *   npx -y pnpm@10.34.8 build && npx tsx bench/hostfs-apply.ts [--small] [--dir DIR] [--runs N] [--stream]
 * --small uses the synthetic CI image; DIR (default: the OS temp dir) is where the trees go.
 */
import { execFileSync } from 'node:child_process'
import { createReadStream, mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Capabilities } from '../packages/core/src/index.js'
import { builtPackages, fileChunks, median } from './common.js'

const { applyLayer } = await builtPackages.core()
const { hostFileTree, libcSupport, xattrSupport } = await builtPackages.zfsDriver()

const arg = (name: string): string | undefined => {
  const i = process.argv.indexOf(name)
  return i < 0 ? undefined : process.argv[i + 1]
}
const small = process.argv.includes('--small')
const base = arg('--dir') ?? tmpdir()
const runs = Number(arg('--runs') ?? 3)
const stream = process.argv.includes('--stream')
const root = process.getuid?.() === 0
const caps: Capabilities = {
  xattrs: xattrSupport(),
  deviceNodes: root,
  chown: root,
  hostPaths: true,
}

const here = dirname(fileURLToPath(import.meta.url))
const built = execFileSync(join(here, 'data/build-image.sh'), small ? ['--small'] : [], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
})
const tars = /^tars=(.*)$/m.exec(built)![1]!
console.log(
  built
    .split('\n')
    .filter((l) => /^(data=|layer\d)/.test(l))
    .join('\n'),
)

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9

// trees are removed only after every run of a layer: ext4 makes each file creation after a mass
// deletion slower (it skips recently deleted inodes), which would penalize whichever side ran next
const made: string[] = []
const fresh = (): string => {
  const dir = mkdtempSync(join(base, 'bench-apply-'))
  made.push(dir)
  return dir
}
const removeMade = (): void => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

const gnuTar = (tar: string): number => {
  const dir = fresh()
  const t0 = process.hrtime.bigint()
  execFileSync('tar', ['-xf', tar, '-C', dir])
  return seconds(t0)
}

const modes = libcSupport() ? [true, false] : [false]

const hostApply = async (tar: string, native: boolean): Promise<number> => {
  const dir = fresh()
  const t0 = process.hrtime.bigint()
  const r = await applyLayer(
    hostFileTree(dir, { readOnly: false, deviceNodes: root, native }),
    stream ? createReadStream(tar, { highWaterMark: 1 << 18 }) : fileChunks(tar),
    { capabilities: caps },
  )()
  if (r._tag === 'Left') throw new Error(`apply of ${tar}: ${JSON.stringify(r.left)}`)
  return seconds(t0)
}

for (const name of readdirSync(tars)
  .filter((n) => n.endsWith('.tar'))
  .sort()) {
  const tar = join(tars, name)
  await hostApply(tar, modes[0]!) // warm-up: the tar in the page cache, the code compiled
  removeMade()
  const t: number[] = []
  const h = new Map<boolean, number[]>(modes.map((m) => [m, []]))
  for (let i = 0; i < runs; i++) {
    // the sides in turn, each first in some run
    const sides = [...modes, undefined]
    for (let k = 0; k < sides.length; k++) {
      const side = sides[(i + k) % sides.length]
      if (side === undefined) t.push(gnuTar(tar))
      else h.get(side)!.push(await hostApply(tar, side))
    }
  }
  removeMade()
  const mt = median(t)
  const each = modes.map((m) => {
    const mh = median(h.get(m)!)
    return `${m ? 'native' : '/proc'} ${mh.toFixed(3)} s ${(mh / mt).toFixed(2)}x`
  })
  console.log(
    `${name}: hostFileTree apply ${each.join(', ')}; GNU tar -xf ${mt.toFixed(3)} s (target <= 1.5x); input ${stream ? 'read stream' : '1 MiB reads'}; load ${loadavg()[0]!.toFixed(2)}`,
  )
}
