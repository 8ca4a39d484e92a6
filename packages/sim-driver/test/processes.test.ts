/**
 * Separate processes on one simulator state file, through the conformance process checks: a
 * LayerStore process SIGKILLed at random moments recovers (its plain state file always loads);
 * several processes extracting images that share layers through the shared driver all succeed
 * with one dataset per chainID while another is killed mid-work (its stale lock is broken, its
 * leftovers collected only once it is dead); a SIGKILLed mount holder's hold is released by
 * recovery (with stand-in host paths: the simulator has none).
 */
import { join } from 'node:path'
import { budgetFromEnv, runProcessChecks } from '@stratum/conformance'
import { datasetName } from '@stratum/core'
import { openSimSpec } from './fixtures/process-driver.js'

runProcessChecks({
  name: 'simulator state file',
  childScript: join(import.meta.dirname, 'fixtures', 'process-child.ts'),
  driverSpec: (check, workDir) =>
    check === 'kill'
      ? `plain:${join(workDir, 'kill-state')}`
      : check === 'mount'
        ? `paths:${join(workDir, 'mount-state')}`
        : `shared:${join(workDir, 'shared-state')}`,
  openDriver: openSimSpec,
  base: () => datasetName('testpool/stratum'),
  settings: budgetFromEnv().kill,
})
