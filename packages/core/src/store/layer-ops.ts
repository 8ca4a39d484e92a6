/** The tar side of the store: applying a layer onto a file tree and packaging a snapshot pair. */
export { applyLayer, packageLayer as packageLayerTar } from '../layer/index.js'
export type { ApplyLimits, ApplyResult } from '../layer/index.js'
