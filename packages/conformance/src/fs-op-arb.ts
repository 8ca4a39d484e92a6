/** fast-check arbitraries for the shared file operations (fs-op.ts): one per kind of operation. */
import fc from 'fast-check'
import { type FsOp, type PathPick, NAMES, TIMES } from './fs-op.js'

/** an index into whatever list the command picks from when it runs */
export const nat = fc.nat({ max: 1000 })
const existing = nat.map((at): PathPick => ({ at, name: undefined }))
const child = fc.tuple(nat, fc.constantFrom(...NAMES)).map(([at, name]): PathPick => ({ at, name }))
const anyPath = fc.oneof(existing, child)

/** One arbitrary per operation; chmod picks from `modes`. */
export const fsOpArbs = (modes: readonly number[]): Record<FsOp['op'], fc.Arbitrary<FsOp>> => ({
  write: fc.record({
    op: fc.constant('write' as const),
    path: anyPath,
    content: nat,
    flag: fc.constantFrom('create' as const, 'truncate' as const, 'append' as const),
    meta: fc.boolean(),
    chunked: fc.boolean(),
  }),
  mkdir: fc.record({ op: fc.constant('mkdir' as const), path: anyPath, meta: fc.boolean() }),
  symlink: fc.record({ op: fc.constant('symlink' as const), path: anyPath, target: nat }),
  link: fc.record({
    op: fc.constant('link' as const),
    from: existing,
    path: fc.oneof({ arbitrary: child, weight: 4 }, { arbitrary: existing, weight: 1 }),
  }),
  unlink: fc.record({ op: fc.constant('unlink' as const), path: anyPath }),
  rmdir: fc.record({ op: fc.constant('rmdir' as const), path: anyPath }),
  rename: fc.record({
    op: fc.constant('rename' as const),
    from: existing,
    path: fc.oneof({ arbitrary: child, weight: 3 }, { arbitrary: existing, weight: 1 }),
  }),
  chmod: fc.record({ op: fc.constant('chmod' as const), path: existing, mode: fc.constantFrom(...modes) }),
  chown: fc.record({ op: fc.constant('chown' as const), path: existing, uid: fc.constantFrom(0, 1000) }),
  utimes: fc.record({ op: fc.constant('utimes' as const), path: existing, time: fc.constantFrom(...TIMES) }),
})
