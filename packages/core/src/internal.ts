/**
 * Everything core has, for Stratum's own packages (`@stratum/core/internal`): tar and stream
 * plumbing, host-path helpers, archive readers. No compatibility promise; use `@stratum/core`.
 */
export * from './algebra.js'
export * from './oci/index.js'
export * from './layer/index.js'
export * from './store/index.js'
export * from './host/index.js'
export * from './docker/index.js'
// the one saga style (store/steps.ts) and path join, for the CLI's tree walks
export { fail, must, steps } from './store/steps.js'
export * from './failure.js'
export { joinPath } from './layer/names.js'
// how often a cut blob download resumes (the registry tests cut it one time more)
export { BLOB_RESUMES } from './registry/source.js'
