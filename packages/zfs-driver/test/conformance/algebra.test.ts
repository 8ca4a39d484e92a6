/** The conformance suite's algebra part on real OpenZFS (see on-pool.ts). */
import { conformanceOnPool } from './on-pool.js'

await conformanceOnPool('algebra')
