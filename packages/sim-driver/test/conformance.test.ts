// The shared conformance suite against the in-memory simulator.
import { datasetName } from '@stratum/core'
import { budgetFromEnv, runConformance } from '@stratum/conformance'
import * as E from 'fp-ts/lib/Either.js'
import { createSimDriver } from '../src/index.js'

runConformance({
  name: 'sim',
  budget: budgetFromEnv(), // sizes from STRATUM_CONFORMANCE_*, STRATUM_CRASH_*, ...; default the full suite
  factory: async () => {
    const driver = createSimDriver({ pools: ['testpool', 'otherpool'] })
    const base = datasetName('testpool/conformance')
    const created = await driver.create(base)()
    if (E.isLeft(created)) throw new Error(`fixture: ${JSON.stringify(created.left)}`)
    return { driver, base, otherPool: datasetName('otherpool'), cleanup: async () => {} }
  },
})
