export * from './types.js'
export * from './context.js'
export * from './layout.js'
export { openLayerStore } from './open.js'
