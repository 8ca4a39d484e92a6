/** The conformance suite's crash part on real OpenZFS (see on-pool.ts). */
import { conformanceOnPool } from './on-pool.js'

await conformanceOnPool('crash')
