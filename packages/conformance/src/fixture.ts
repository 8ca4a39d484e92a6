/**
 * What a backend hands the suite: a driver, an empty dataset to work in, and a cleanup.
 */
import type { DatasetName, Driver } from '@stratum/core'
import type { Budget, Part } from './budget.js'

/** What a backend's factory gives each check: a driver, an empty dataset to work in, and a cleanup. */
export interface Fixture {
  readonly driver: Driver
  /** an existing, empty dataset (no children, no snapshots) that the suite may fill */
  readonly base: DatasetName
  /** optional: an existing dataset in ANOTHER pool of the same driver, for the cross-pool checks */
  readonly otherPool?: DatasetName
  /** Destroys what the fixture made. */
  cleanup(): Promise<void>
}

/** Options of `runConformance`: the backend's name, its fixture factory, and the run's sizes. */
export interface ConformanceOptions {
  /** shown in the suite's describe block */
  readonly name: string
  /** a fresh fixture for every test */
  readonly factory: () => Promise<Fixture>
  /** sizes and replay settings; default DEFAULT_BUDGET (a test entry point: `budgetFromEnv()`) */
  readonly budget?: Budget
  /** the parts of the suite this entry point runs (default all): one test file per part runs them side by side */
  readonly parts?: readonly Part[]
}
