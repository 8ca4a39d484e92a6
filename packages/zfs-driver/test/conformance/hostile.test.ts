/** The conformance suite's hostile part on real OpenZFS (see on-pool.ts). */
import { conformanceOnPool } from './on-pool.js'

await conformanceOnPool('hostile')
