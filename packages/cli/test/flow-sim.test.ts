// The whole command flow (flow.ts) on the simulator: the same steps and expectations zfs.test.ts runs with --driver zfs on a real pool.
import { randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { openSimDriver } from '@stratum/sim-driver'
import { describeFlow } from './flow.js'
import { mustRun } from './flow-data.js'

describeFlow(
  'the command flow on the simulator',
  async (work) => {
    const stateFile = join(work, 'state')
    const base = `simpool/cli-${randomUUID()}`
    return {
      driver: 'sim',
      globals: ['--driver', 'sim', '--state', stateFile, '--base', base],
      base,
      state: stateFile,
      open: () => mustRun('open the simulator', openSimDriver({ stateFile })),
      cleanup: async () => undefined, // the state file goes with the work directory
    }
  },
  120_000,
)
