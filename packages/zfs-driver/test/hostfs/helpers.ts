/** Temp directories with a root and a sibling "outside" area, and small TaskEither helpers. */
import { mkdtempSync, rmSync, mkdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { FileTree, StorageError } from '@stratum/core'
import { hostFileTree, type HostFileTreeOptions } from '../../src/index.js'
import { afterEach, beforeEach, expect } from 'vitest'
import { libc } from '../../src/hostfs/libc.js'
import { canPin } from '../../src/hostfs/resolve.js'
import { xattrBinding, xattrUnsupportedReason } from '../../src/hostfs/xattr-binding.js'

export { unwrap as ok } from '@stratum/core/testing'

export interface Sandbox {
  /** the tree's root */
  readonly root: string
  /** a directory next to the root that nothing may touch */
  readonly outside: string
  readonly dispose: () => void
}

export const sandbox = (): Sandbox => {
  const top = mkdtempSync(join(tmpdir(), 'stratum-hostfs-'))
  const root = join(top, 'root')
  const outside = join(top, 'outside')
  mkdirSync(root)
  mkdirSync(outside)
  writeFileSync(join(outside, 'secret'), 'host secret')
  return { root, outside, dispose: () => rmSync(top, { recursive: true, force: true }) }
}

/** The ways a host tree makes its calls that this host has: pinned through the C library's *at calls, pinned through /proc paths, unpinned checked paths. */
export const callModes = (): { readonly pin: boolean; readonly native: boolean }[] => [
  ...(canPin() && libc() !== undefined ? [{ pin: true, native: true }] : []),
  ...(canPin() ? [{ pin: true, native: false }] : []),
  { pin: false, native: false },
]

export const failsIo = async (te: TaskEither<StorageError, unknown>, code: string): Promise<void> => {
  const r = await te()
  expect(r._tag, `expected Io ${code}`).toBe('Left')
  if (r._tag === 'Left') expect(r.left).toMatchObject({ _tag: 'Io', code })
}

export const failsTag = async (te: TaskEither<StorageError, unknown>, tag: string): Promise<void> => {
  const r = await te()
  expect(r._tag).toBe('Left')
  if (r._tag === 'Left') expect(r.left._tag).toBe(tag)
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s)

export const readAll = async (it: AsyncIterable<Uint8Array>): Promise<string> => {
  const parts: Uint8Array[] = []
  for await (const c of it) parts.push(c)
  return Buffer.concat(parts).toString('utf8')
}

/** Why user.* xattrs cannot be tested on this host's temp directory ('' when they can). */
export const xattrRefusal = (): string => {
  const b = xattrBinding()
  if (b === undefined) return `the binding does not load here: ${xattrUnsupportedReason()}`
  const dir = mkdtempSync(join(tmpdir(), 'stratum-xattr-probe-'))
  try {
    writeFileSync(join(dir, 'f'), '')
    b.setAttributeSync(join(dir, 'f'), 'user.probe', Buffer.from('1'))
    return ''
  } catch (e) {
    return `the temp directory's file system refuses user.* xattrs: ${e instanceof Error ? e.message : String(e)}`
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A fresh sandbox and a writable host tree over its root for each test of the calling block (made before it, removed after). */
export const eachFreshTree = (
  opts: Omit<HostFileTreeOptions, 'readOnly'>,
): { box: () => Sandbox; tree: () => FileTree } => {
  let box: Sandbox | undefined
  let tree: FileTree | undefined
  beforeEach(() => {
    box = sandbox()
    tree = hostFileTree(box.root, { readOnly: false, ...opts })
  })
  afterEach(() => box?.dispose())
  return { box: () => box!, tree: () => tree! }
}
