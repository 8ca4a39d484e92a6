/**
 * The whole command flow (flow.ts) with `--driver zfs` against real OpenZFS. Runs only where a
 * pool is named in STRATUM_ZFS_POOL (the qemu guest of packages/zfs-driver/vm sets it, as root):
 * every command runs in-process through `main` with `--driver zfs --base <pool>/cli-<uuid>`
 * (init creates that base), the built binary once in a real process; the base is destroyed
 * recursively at the end, also when a step failed. Needs the build first (`pnpm build`: dist/stratum.js).
 */
import { randomUUID } from 'node:crypto'
import { it } from 'vitest'
import { type DatasetName, datasetName } from '@stratum/core'
import { createZfsDriver } from '@stratum/zfs-driver'
import { describeFlow } from './flow.js'
import { zfsGlobals } from './helpers.js'

const pool = process.env.STRATUM_ZFS_POOL ?? ''

if (pool === '') {
  it.skip('the command flow with --driver zfs: set STRATUM_ZFS_POOL (runs in the qemu guest, see packages/zfs-driver/vm)', () => {})
} else {
  describeFlow(
    `the command flow with --driver zfs on pool ${pool}`,
    async () => {
      const base: DatasetName = datasetName(`${pool}/cli-${randomUUID()}`)
      return {
        driver: 'zfs',
        globals: zfsGlobals(base),
        base,
        state: null,
        open: async () => createZfsDriver(),
        cleanup: async () => {
          const r = await createZfsDriver().destroy(base, { recursive: true, dependents: true })()
          if (r._tag === 'Left' && r.left._tag !== 'DatasetNotFound')
            throw new Error(`cleanup of ${base}: ${JSON.stringify(r.left)}`)
        },
      }
    },
    600_000,
  )
}
