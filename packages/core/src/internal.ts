/**
 * Everything core has, for Stratum's own packages (`@stratum/core/internal`): tar and stream
 * plumbing, host-path helpers, archive readers. No compatibility promise; use `@stratum/core`.
 */
export * from './errors.js'
export * from './catch-tag.js'
export * from './names.js'
export * from './byte-names.js'
export * from './fs.js'
export * from './diff.js'
export * from './driver.js'
export * from './native.js'
export * from './oci/index.js'
export * from './layer/index.js'
export * from './store/index.js'
export * from './host/index.js'
export * from './docker/index.js'
// the one saga style (store/steps.ts) and path join, for the CLI's tree walks
export { fail, must, steps } from './store/steps.js'
export { carried } from './layer/run.js'
export { joinPath } from './layer/names.js'
