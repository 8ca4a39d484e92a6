/** The differential check: two drivers, the same random calls, every result compared. */
export { runDifferential, type DifferentialOptions, type DifferentialReport } from './run.js'
export { Divergence } from './sides.js'
