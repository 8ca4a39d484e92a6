export * from './archive-index.js'
export * from './archive-member.js'
export * from './archive.js'
