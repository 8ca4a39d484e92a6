/**
 * The differential check against real OpenZFS: the simulator (side a, where names are picked)
 * and the zfs driver (side b) get the same random calls, every result compared. Runs only where
 * STRATUM_ZFS_POOL names a pool (the qemu guest of vm/, job vm/jobs/differential.sh).
 *
 * Env: STRATUM_DIFF_RUNS (default 500), STRATUM_DIFF_MAX_COMMANDS (default 12),
 * STRATUM_DIFF_TIME_LIMIT_S (stop starting sequences after this long; default none);
 * replay: STRATUM_DIFF_SEED, STRATUM_DIFF_PATH, STRATUM_DIFF_REPLAY_PATH as printed on failure.
 */
import { randomUUID } from 'node:crypto'
import { expect, it } from 'vitest'
import { datasetName } from '@stratum/core'
import { createSimDriver } from '@stratum/sim-driver'
import { createZfsDriver, LAYER_STORE_PROPERTIES } from '../src/index.js'

const pool = process.env.STRATUM_ZFS_POOL ?? ''
const int = (k: string, dflt: number): number => {
  const n = Number(process.env[k] ?? '')
  return Number.isInteger(n) && n > 0 ? n : dflt
}

if (pool === '') {
  it.skip('differential sim vs real ZFS: set STRATUM_ZFS_POOL (runs in the qemu guest: vm/run.sh vm/jobs/differential.sh)', () => {})
} else {
  const { runDifferential } = await import('@stratum/conformance')
  const runs = int('STRATUM_DIFF_RUNS', 500)
  const maxCommands = int('STRATUM_DIFF_MAX_COMMANDS', 12)
  const limitS = int('STRATUM_DIFF_TIME_LIMIT_S', 0)

  // For any random sequence of algebra and file calls, the simulator and real OpenZFS give the same results call for call.
  it(`differential sim vs zfs on pool ${pool}: ${runs} sequences of up to ${maxCommands} calls`, async () => {
    const zfs = createZfsDriver()
    const started = Date.now()
    const report = await runDifferential({
      name: `sim-vs-zfs(${pool})`,
      runs, maxCommands,
      ...(limitS > 0 ? { timeLimitMs: limitS * 1000 } : {}),
      a: async () => {
        const driver = createSimDriver({ pools: [pool] })
        const base = datasetName(`${pool}/stratum-diff`)
        const made = await driver.create(base)()
        if (made._tag === 'Left') throw new Error(`sim fixture: ${JSON.stringify(made.left)}`)
        return { driver, base, cleanup: async () => {} }
      },
      b: async () => {
        const base = datasetName(`${pool}/stratum-diff-${randomUUID().slice(0, 8)}`)
        const made = await createZfsDriver({ createProperties: LAYER_STORE_PROPERTIES }).create(base)()
        if (made._tag === 'Left') throw new Error(`zfs fixture: ${JSON.stringify(made.left)}`)
        return {
          driver: zfs, base,
          cleanup: async () => {
            const r = await zfs.destroy(base, { recursive: true, dependents: true })()
            if (r._tag === 'Left' && r.left._tag !== 'DatasetNotFound') throw new Error(`cleanup of ${base}: ${JSON.stringify(r.left)}`)
          },
        }
      },
    })
    const s = (Date.now() - started) / 1000
    console.log(`differential timing: ${s.toFixed(0)} s for ${report.sequences} sequences, ${(s / Math.max(1, report.sequences)).toFixed(2)} s per sequence, ${(1000 * s / Math.max(1, report.calls)).toFixed(1)} ms per compared call`)
    expect(report.divergences).toBe(0)
  }, 6 * 3600 * 1000)
}
