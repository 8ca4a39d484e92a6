/** The conformance suite's layers part on real OpenZFS (see on-pool.ts). */
import { conformanceOnPool } from './on-pool.js'

await conformanceOnPool('layers')
