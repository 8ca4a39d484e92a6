/** The driver algebra a backend implements and every package shares: errors, names, file trees, diff, the Driver. */
export * from './errors.js'
export * from './catch-tag.js'
export * from './names.js'
export * from './byte-names.js'
export * from './fs.js'
export * from './diff.js'
export * from './driver.js'
export * from './native.js'
