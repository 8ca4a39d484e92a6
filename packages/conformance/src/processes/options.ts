/** What a driver hands the process checks. */
import type { DatasetName, Driver, StorageError } from '@stratum/core'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { KillSettings } from './settings.js'

/** 'kill': one store process at a time, killed and recovered; 'shared': several at once; 'mount': a SIGKILLed mount holder. */
export type ProcessCheck = 'kill' | 'shared' | 'mount'

/** Options of `runProcessChecks`. */
export interface ProcessChecksOptions {
  /** shown in the describe block */
  readonly name: string
  /** absolute path of the driver's child script, which calls `storeChildMain(openDriver)` */
  readonly childScript: string
  /**
   * The one-argument spec that children (through the child script) and the test (through
   * `openDriver`) open the same storage with; `workDir` is a fresh temp dir of the group
   * (e.g. for a state file). Must be a non-empty string.
   */
  readonly driverSpec: (check: ProcessCheck, workDir: string) => string
  /** opens the driver a spec names, in this process or a child */
  readonly openDriver: (spec: string) => TaskEither<StorageError, Driver>
  /** the store's base dataset for each check (openLayerStore creates it; its parent must exist) */
  readonly base: (check: ProcessCheck) => DatasetName
  /** sizes and time bounds; default DEFAULT_BUDGET.kill (a slow driver: `budgetFromEnv({ ...its defaults, ...process.env }).kill`) */
  readonly settings?: KillSettings
  /** before the checks (e.g. create the bases' parent) */
  readonly setup?: () => Promise<void>
  /** after the checks and after every child is gone (e.g. destroy what the bases hold) */
  readonly cleanup?: () => Promise<void>
}
