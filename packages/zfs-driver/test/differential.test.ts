/**
 * The differential check against real OpenZFS: the simulator (side a, where names are picked)
 * and the zfs driver (side b) get the same random calls, every result compared. Runs only where
 * STRATUM_ZFS_POOL names a pool (the qemu guest of vm/, job vm/jobs/differential.sh).
 *
 * Everywhere: the file-call part against the driver's own host file tree (hostFileTree on a
 * temp directory per dataset, under a simulated namespace), the same code the zfs driver's
 * trees run on a mounted dataset.
 *
 * Sizes and replay: budgetFromEnv() (STRATUM_DIFF_RUNS, STRATUM_DIFF_MAX_COMMANDS,
 * STRATUM_DIFF_TIME_LIMIT_S, STRATUM_DIFF_HOSTFS_RUNS; STRATUM_DIFF_SEED, _PATH, _REPLAY_PATH as
 * printed on failure). The guest jobs set their sizes (vm/jobs/ci.sh, vm/jobs/differential.sh).
 */
import { randomUUID } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { pipe } from 'fp-ts/lib/function.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { datasetName, isWithin, type DatasetName, type Driver, type FileTree } from '@stratum/core'
import { budgetFromEnv, runDifferential } from '@stratum/conformance'
import { createSimDriver } from '@stratum/sim-driver'
import { createZfsDriver, hostFileTree, LAYER_STORE_PROPERTIES } from '../src/index.js'
import { libc } from '../src/hostfs/libc.js'

const pool = process.env.STRATUM_ZFS_POOL ?? ''
const budget = budgetFromEnv()

const simFixture = (poolName: string) => async () => {
  const driver = createSimDriver({ pools: [poolName] })
  const base = datasetName(`${poolName}/stratum-diff`)
  const made = await driver.create(base)()
  if (made._tag === 'Left') throw new Error(`sim fixture: ${JSON.stringify(made.left)}`)
  return { driver, base, cleanup: async () => {} }
}

/** A simulated namespace whose datasets' files are hostFileTrees on temp directories (snapshots stay simulated); `native`: the trees' option. */
const hostTreeFixture = (native: boolean) => async () => {
  const dir = mkdtempSync(join(tmpdir(), 'stratum-diff-'))
  const sim = createSimDriver({ pools: ['testpool'] })
  const dirOf = (name: string): string => join(dir, encodeURIComponent(name))
  const trees = new Map<string, FileTree>()
  const treeOf = (d: string): FileTree =>
    trees.get(d) ?? trees.set(d, hostFileTree(d, { readOnly: false, native })).get(d)!
  const driver: Driver = {
    ...sim,
    capabilities: { ...sim.capabilities, chown: process.getuid?.() === 0, xattrs: false },
    create: (name, opts) =>
      pipe(
        sim.create(name, opts),
        TE.map(() => {
          mkdirSync(dirOf(name), { recursive: true })
        }),
      ),
    // one tree per dataset, as an apply uses one: its kept directories are checked across calls
    fs: (name) =>
      name.includes('@')
        ? sim.fs(name)
        : pipe(
            sim.fs(name),
            TE.map(() => treeOf(dirOf(name))),
          ),
  }
  const base = datasetName('testpool/stratum-diff')
  const made = await driver.create(base)()
  if (made._tag === 'Left') throw new Error(`host fixture: ${JSON.stringify(made.left)}`)
  return { driver, base, cleanup: async () => rmSync(dir, { recursive: true, force: true }) }
}

// For any random sequence of file calls, the simulator's file tree and the zfs driver's host file tree give the same results call for call, both ways the tree makes its calls.
it.each(libc() === undefined ? [false] : [true, false])(
  'differential sim vs host file tree: file calls (native=%s)',
  async (native) => {
    const report = await runDifferential({
      name: `sim-vs-hostfs${native ? '' : '-path'}`,
      a: simFixture('testpool'),
      b: hostTreeFixture(native),
      commands: 'files',
      ...budget.differentialFiles,
    })
    expect(report.divergences).toBe(0)
  },
  3600 * 1000,
)

describe('hostFileTree regressions found by the differential check (minimal sequences)', () => {
  let root = ''
  let t: FileTree
  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'stratum-diff-reg-'))
    t = hostFileTree(root, { readOnly: false })
    await t.writeFile('f', new Uint8Array([1]))()
    await t.mkdir('d')()
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))
  const code = async (te: () => Promise<{ _tag: string; left?: { _tag: string; code?: string } }>): Promise<string> => {
    const r = await te()
    return r._tag === 'Right' ? 'ok' : r.left!._tag === 'Io' ? r.left!.code! : r.left!._tag
  }

  it('rename of the root: the target is walked first (ENOTDIR), then EINVAL; onto the root: EISDIR for a file, EINVAL for a directory', async () => {
    expect(await code(t.rename('', 'f/x'))).toBe('ENOTDIR')
    expect(await code(t.rename('', 'x'))).toBe('EINVAL')
    expect(await code(t.rename('f', ''))).toBe('EISDIR')
    expect(await code(t.rename('d', ''))).toBe('EINVAL')
    expect(await code(t.rename('missing', ''))).toBe('ENOENT')
  })

  it('writeFile of the root: EEXIST with the create flag (O_CREAT|O_EXCL), EISDIR with truncate or append', async () => {
    expect(await code(t.writeFile('', new Uint8Array()))).toBe('EEXIST')
    expect(await code(t.writeFile('', new Uint8Array(), { flag: 'truncate' }))).toBe('EISDIR')
  })

  it('link of the root: the new name is looked up first (ENOENT, EEXIST), then EPERM', async () => {
    expect(await code(t.link('', 'a/b'))).toBe('ENOENT')
    expect(await code(t.link('', 'f'))).toBe('EEXIST')
    expect(await code(t.link('', 'n'))).toBe('EPERM')
  })
})

/**
 * destroy -r -R of a fixture's base. A dataset that is a clone of its own descendant's snapshot
 * (clone into its own subtree, then promote) makes zfs refuse that ("recursive dependency"):
 * such datasets are promoted back first, which breaks the cycle.
 */
const destroyTree = async (zfs: Driver, base: DatasetName): Promise<void> => {
  for (let attempt = 0; ; attempt++) {
    const r = await zfs.destroy(base, { recursive: true, dependents: true })()
    if (r._tag === 'Right' || r.left._tag === 'DatasetNotFound') return
    const listed = await zfs.list(base)()
    const cyclic =
      listed._tag === 'Right'
        ? listed.right.filter(
            (i) =>
              i.type === 'filesystem' &&
              i.origin !== null &&
              isWithin(i.origin.slice(0, i.origin.indexOf('@')), i.name),
          )
        : []
    if (attempt >= 5 || cyclic.length === 0) throw new Error(`cleanup of ${base}: ${JSON.stringify(r.left)}`)
    for (const c of cyclic) await zfs.promote(c.name as DatasetName)()
  }
}

if (pool === '') {
  it.skip('differential sim vs real ZFS: set STRATUM_ZFS_POOL (runs in the qemu guest: vm/run.sh vm/jobs/differential.sh)', () => {})
} else {
  const { runs, maxCommands } = budget.differential

  // For any random sequence of algebra and file calls, the simulator and real OpenZFS give the same results call for call.
  it(
    `differential sim vs zfs on pool ${pool}: ${runs} sequences of up to ${maxCommands} calls`,
    async () => {
      const zfs = createZfsDriver()
      const started = Date.now()
      const report = await runDifferential({
        name: `sim-vs-zfs(${pool})`,
        ...budget.differential,
        a: simFixture(pool),
        b: async () => {
          const base = datasetName(`${pool}/stratum-diff-${randomUUID().slice(0, 8)}`)
          const made = await createZfsDriver({ createProperties: LAYER_STORE_PROPERTIES }).create(base)()
          if (made._tag === 'Left') throw new Error(`zfs fixture: ${JSON.stringify(made.left)}`)
          return {
            driver: zfs,
            base,
            cleanup: () => destroyTree(zfs, base),
          }
        },
      })
      const s = (Date.now() - started) / 1000
      console.log(
        `differential timing: ${s.toFixed(0)} s for ${report.sequences} sequences, ${(s / Math.max(1, report.sequences)).toFixed(2)} s per sequence, ${((1000 * s) / Math.max(1, report.calls)).toFixed(1)} ms per compared call`,
      )
      expect(report.divergences).toBe(0)
    },
    6 * 3600 * 1000,
  )
}
