/** What both process checks share within one registered group. */
import type { Child } from './child-process.js'
import type { ProcessChecksOptions } from './options.js'
import type { References } from './references.js'
import type { KillSettings } from './settings.js'
import type { Tally } from './tally.js'

export interface ProcessEnv {
  readonly opts: ProcessChecksOptions
  readonly settings: KillSettings
  readonly tally: Tally
  readonly refs: References
  /** the group's temp dir (driver specs may put files here) and the OCI layout in it */
  readonly workDir: () => string
  readonly layoutDir: () => string
  /** every child spawned, so the group can kill what a failed check left running */
  readonly children: Child[]
}
