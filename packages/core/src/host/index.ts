export * from './errno.js'
export * from './mkdirs.js'
export * from './write-path.js'
