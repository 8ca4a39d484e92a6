/**
 * Confined resolution cost against depth, depth 2,000 vs depth 200 in the same run, on the
 * simulator's in-memory tree and on `hostFileTree` over a temp directory:
 * - resolution: `lstat` of the deepest directory of an existing chain (ms per call), once with the
 *   host tree's kept directories warm and once cold (released before each call). Linear is 10x;
 *   the target is <= 12x. Beside it, the kernel's part of the cold walk: openat(2) alone down
 *   the same chain (every directory opened, all closed between calls), no target.
 * - apply: one file entry whose 1,999 (199) parent directories are implied, through `applyLayer`:
 *   the applier makes one call per parent, each with a path as long as the depth, so this is
 *   quadratic in path bytes by the FileTree interface; it was 41 s at depth 2,000 in memory.
 *
 * Run from the repository root:
 *   npx tsx --conditions=@stratum/source bench/resolve-depth.ts
 */
import { execFileSync } from 'node:child_process'
import { closeSync, constants, mkdirSync, mkdtempSync, openSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { applyLayer, datasetName, type Capabilities, type FileTree } from '../packages/core/src/index.js'
import { encodeHeader, END_OF_ARCHIVE } from '../packages/core/src/internal.js'
import { createSimDriver } from '../packages/sim-driver/src/index.js'
import { hostFileTree } from '../packages/zfs-driver/src/index.js'
import { releaseHostDescriptors } from '../packages/zfs-driver/src/hostfs/dir-cache.js'
import { libc } from '../packages/zfs-driver/src/hostfs/libc.js'
import { median } from './common.js'

const caps: Capabilities = { xattrs: false, deviceNodes: false, chown: false, hostPaths: true }

/** A tar of one file whose parents, `d/d/.../d`, are not entries of their own. */
const deepTar = (depth: number): Uint8Array => {
  const path = `${'d/'.repeat(depth - 1)}f`
  const data = Buffer.from('deep\n')
  const header = encodeHeader({ path, type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeMs: 1.6e12, size: data.length })
  const pad = Buffer.alloc((512 - (data.length % 512)) % 512)
  return Buffer.concat([header, data, pad, END_OF_ARCHIVE])
}

const applyOnce = async (tree: FileTree, tar: Uint8Array): Promise<number> => {
  const t0 = process.hrtime.bigint()
  const r = await applyLayer(
    tree,
    (async function* () {
      yield tar
    })(),
    { capabilities: caps },
  )()
  if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
  return Number(process.hrtime.bigint() - t0) / 1e6
}

const simTree = async (): Promise<FileTree> => {
  const d = createSimDriver({ pools: ['p'] })
  const name = datasetName('p/deep')
  const made = await d.create(name)()
  if (made._tag === 'Left') throw new Error(JSON.stringify(made.left))
  const fs = await d.fs(name)()
  if (fs._tag === 'Left') throw new Error(JSON.stringify(fs.left))
  return fs.right
}

/** calls per measurement: the same number of components looked up at each depth */
const callsAt = (depth: number): number => Math.max(20, Math.round(400_000 / depth))
const chain = (depth: number): string => Array.from({ length: depth }, () => 'd').join('/')
const rmrf = (dir: string): void => {
  execFileSync('rm', ['-rf', dir])
} // Node's rmSync recurses past its stack at depth 2,000

/** ms per lstat of the deepest directory of a chain of `depth`; `cold` releases the kept directories before each call. */
const resolveOnce = async (tree: FileTree, depth: number, cold: boolean): Promise<number> => {
  const path = chain(depth)
  let total = 0
  const calls = callsAt(depth) / (cold ? 10 : 1)
  for (let i = 0; i < calls; i++) {
    if (cold) releaseHostDescriptors()
    const t0 = process.hrtime.bigint()
    const r = await tree.lstat(path)()
    total += Number(process.hrtime.bigint() - t0)
    if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
  }
  return total / calls / 1e6
}

const simChain = async (depth: number): Promise<FileTree> => {
  const t = await simTree()
  for (let i = 1; i <= depth; i++) {
    const r = await t.mkdir(chain(i))()
    if (r._tag === 'Left') throw new Error(JSON.stringify(r.left))
  }
  return t
}

const withHostDir = async <A>(f: (dir: string) => Promise<A>): Promise<A> => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-depth-'))
  try {
    return await f(dir)
  } finally {
    rmrf(dir)
  }
}

const O_PATH = 0o10000000
const D = Buffer.from('d\0')
/** ms per walk of openat(O_PATH|O_DIRECTORY|O_NOFOLLOW) down a chain of `depth` under `root`, the descriptors closed after each walk. */
const openatOnce = (root: string, depth: number): number => {
  const c = libc()!
  let total = 0
  const calls = callsAt(depth) / 10
  for (let i = 0; i < calls; i++) {
    const fds = [openSync(`${root}/.`, O_PATH | constants.O_DIRECTORY)]
    const t0 = process.hrtime.bigint()
    for (let k = 0; k < depth; k++) {
      const fd = c.openat(fds[k]!, D, O_PATH | constants.O_DIRECTORY | constants.O_NOFOLLOW, 0)
      if (fd < 0) throw new Error(`openat: errno ${c.errno()}`)
      fds.push(fd)
    }
    total += Number(process.hrtime.bigint() - t0)
    for (const fd of fds) closeSync(fd)
  }
  return total / calls / 1e6
}

const simChains = new Map<number, FileTree>()
const hostChains = new Map<number, FileTree>()
const hostRoots = new Map<number, string>()
const hostChain = (d: number): FileTree => {
  if (!hostChains.has(d)) {
    const dir = mkdtempSync(join(tmpdir(), 'bench-depth-'))
    hostRoots.set(d, dir)
    mkdirSync(join(dir, chain(d)), { recursive: true })
    hostChains.set(d, hostFileTree(dir, { readOnly: false }))
  }
  return hostChains.get(d)!
}
const simChainOf = async (d: number): Promise<FileTree> =>
  simChains.get(d) ?? simChains.set(d, await simChain(d)).get(d)!

const cases: ReadonlyArray<readonly [string, (depth: number) => Promise<number>]> = [
  ['simulator: lstat at the end of the chain', async (d) => resolveOnce(await simChainOf(d), d, false)],
  ['hostFileTree: lstat at the end of the chain, kept directories warm', (d) => resolveOnce(hostChain(d), d, false)],
  [
    'hostFileTree: lstat at the end of the chain, cold (every directory opened)',
    (d) => resolveOnce(hostChain(d), d, true),
  ],
  ...(libc() === undefined
    ? []
    : ([
        [
          'openat alone down the chain (the kernel part of the cold row)',
          async (d: number) => {
            hostChain(d)
            return openatOnce(hostRoots.get(d)!, d)
          },
        ],
      ] as const)),
  ['simulator: apply of one entry with implied parents', async (d) => applyOnce(await simTree(), deepTar(d))],
  [
    'hostFileTree: apply of one entry with implied parents',
    (d) => withHostDir((dir) => applyOnce(hostFileTree(dir, { readOnly: false }), deepTar(d))),
  ],
]

for (const [name, run] of cases) {
  await run(200) // warm-up: the code compiled, the trees built
  await run(2000)
  const shallow: number[] = []
  const deep: number[] = []
  for (let i = 0; i < 5; i++) {
    shallow.push(await run(200))
    deep.push(await run(2000))
  }
  const [s, d] = [median(shallow), median(deep)]
  const target = name.includes('apply') || name.startsWith('openat') ? '' : ' (target <= 12x)'
  console.log(
    `${name}: depth 2,000 ${d.toFixed(3)} ms, depth 200 ${s.toFixed(3)} ms, ratio ${(d / s).toFixed(1)}x${target}`,
  )
}
for (const dir of hostRoots.values()) rmrf(dir)
