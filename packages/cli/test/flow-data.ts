/**
 * What the command flow (flow.ts) puts in and expects out: a 3-layer image (whiteouts, an
 * opaque directory, hardlinks, symlinks, modes, an owner), the change applied to a container,
 * the trees `export` must write for each, and the check of an exported host directory.
 */
import { createHash } from 'node:crypto'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import { expect } from 'vitest'
import type { FileType, StorageError } from '@stratum/core'
import { unwrap } from '@stratum/core/testing'
import { hostFileTree } from '@stratum/zfs-driver'
import { FIXED_MTIME_MS, type TarSpec } from '../src/demo/tar.js'
import { manifestOf } from '../src/tree/manifest.js'

export const mustRun = <A>(what: string, te: TE.TaskEither<StorageError, A>): Promise<A> => unwrap(te, what)

export const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0

const TOOL = '#!/bin/sh\necho tool\n'
const MOTD_MTIME_MS = 1_500_000_000_000

export const IMAGE: readonly (readonly TarSpec[])[] = [
  [
    // files with modes and an owner, a file with two hardlinks, a symlink
    { path: 'etc', type: 'dir' },
    { path: 'etc/hosts', body: '127.0.0.1 localhost\n' },
    { path: 'bin', type: 'dir' },
    { path: 'bin/tool', body: TOOL, mode: 0o755 },
    { path: 'bin/tool2', type: 'hardlink', linkname: 'bin/tool' },
    { path: 'bin/tool3', type: 'hardlink', linkname: 'bin/tool' },
    { path: 'bin/sh', type: 'symlink', linkname: 'tool' },
    { path: 'data', type: 'dir', mode: 0o750 },
    { path: 'data/secret', body: 'secret\n', mode: 0o600, uid: 1000, gid: 1000 },
    { path: 'data/old', body: 'old\n' },
  ],
  [
    // a whiteout, new directories, symlinks to a file and to a directory
    { path: 'etc', type: 'dir' },
    { path: 'etc/.wh.hosts' },
    { path: 'etc/motd', body: 'hi\n', mtimeMs: MOTD_MTIME_MS },
    { path: 'usr', type: 'dir' },
    { path: 'usr/lib', type: 'dir' },
    { path: 'usr/lib/libx.so.1', body: 'lib\n' },
    { path: 'usr/lib/libx.so', type: 'symlink', linkname: 'libx.so.1' },
    { path: 'lib', type: 'symlink', linkname: 'usr/lib' },
  ],
  [
    // an opaque directory with a new file, a whiteout of one hardlink name
    { path: 'data', type: 'dir', mode: 0o750 },
    { path: 'data/.wh..wh..opq' },
    { path: 'data/new', body: 'new\n', uid: 1000, gid: 1000 },
    { path: 'bin', type: 'dir' },
    { path: 'bin/.wh.tool2' },
  ],
]

/** applied to a container of the image's top layer */
export const CHANGE: readonly TarSpec[] = [
  { path: 'etc', type: 'dir' },
  { path: 'etc/.wh.motd' },
  { path: 'etc/issue', body: 'Stratum\n' },
  { path: 'etc/issue.net', type: 'hardlink', linkname: 'etc/issue' },
]

export interface Want {
  readonly type: FileType
  readonly mode?: number
  readonly body?: string
  readonly target?: string
  readonly links?: readonly string[]
  readonly mtimeMs?: number
  readonly uid?: number
}

const dir = (mode = 0o755): Want => ({ type: '/', mode })
const file = (body: string, more: Partial<Want> = {}): Want => ({ type: 'F', mode: 0o644, body, ...more })
const link = (target: string): Want => ({ type: '@', target })

/** The image's top layer: what `export <top chainID>` must write. */
export const IMAGE_TREE: Readonly<Record<string, Want>> = {
  '': dir(),
  bin: dir(),
  'bin/tool': file(TOOL, { mode: 0o755, links: ['bin/tool3'] }),
  'bin/tool3': file(TOOL, { mode: 0o755, links: ['bin/tool'] }),
  'bin/sh': link('tool'),
  data: dir(0o750),
  'data/new': file('new\n', { uid: 1000 }),
  etc: dir(),
  'etc/motd': file('hi\n', { mtimeMs: MOTD_MTIME_MS }),
  lib: link('usr/lib'),
  usr: dir(),
  'usr/lib': dir(),
  'usr/lib/libx.so.1': file('lib\n'),
  'usr/lib/libx.so': link('libx.so.1'),
}

/** The container after CHANGE: what `export web` must write. */
export const CONTAINER_TREE: Readonly<Record<string, Want>> = (() => {
  const { 'etc/motd': _gone, ...rest } = IMAGE_TREE
  return {
    ...rest,
    'etc/issue': file('Stratum\n', { links: ['etc/issue.net'] }),
    'etc/issue.net': file('Stratum\n', { links: ['etc/issue'] }),
  }
})()

const hexOf = (s: string): string => createHash('sha256').update(s).digest('hex')

/** The host directory holds exactly `want`: types, modes, contents, link targets, hardlinks, file mtimes, and owners when root wrote it. */
export const expectTree = async (hostDir: string, want: Readonly<Record<string, Want>>): Promise<void> => {
  const m = await mustRun(`manifest of ${hostDir}`, manifestOf(hostFileTree(hostDir, { readOnly: true })))
  const owners = isRoot()
  const actual: Record<string, unknown> = {}
  const expected: Record<string, unknown> = {}
  for (const [path, e] of m) {
    actual[path] = {
      type: e.type,
      mode: e.mode,
      sha256: e.sha256,
      target: e.target,
      links: e.type === '/' ? [] : e.links,
      mtimeMs: e.mtimeMs,
      ...(owners ? { uid: e.uid, gid: e.gid } : {}),
    }
  }
  for (const [path, w] of Object.entries(want)) {
    expected[path] = {
      type: w.type,
      mode: w.type === '@' ? null : w.mode,
      sha256: w.body === undefined ? null : hexOf(w.body),
      target: w.target ?? null,
      links: w.links ?? [],
      mtimeMs: w.type === 'F' ? (w.mtimeMs ?? FIXED_MTIME_MS) : null,
      ...(owners ? { uid: w.uid ?? 0, gid: w.uid ?? 0 } : {}),
    }
  }
  expect(actual).toEqual(expected)
}
