/**
 * The regular file a host file tree's last `lstat` looked at, so that `read` of the same path
 * right after (a copy's lstat-then-read of every file) needs no second walk and no second lstat:
 * it opens the file in the directory that lstat's walk pinned, checked against the inode seen.
 * Forgotten at any change this tree makes; a change made by another tree over the same files
 * detaches the directory's node (dir-cache.ts), which forgets it too. Another process replacing
 * the file in between makes the open fail (EIO), never read the other file.
 */
import type { DirNode } from './dir-cache.js'
import type { At } from './host-calls.js'

/** Where a path was seen as a regular file: the pinned directory, the call's place in it, the inode. */
export interface Seen {
  readonly dir: DirNode
  readonly at: At
  readonly ino: bigint
}

export interface LastFile {
  /** `path` was just seen as the regular file `ino`, at `at` in the pinned directory `dir` */
  seen(path: string, dir: DirNode, at: At, ino: bigint): void
  /** where `path` was seen, if it is the last path seen and nothing changed since */
  of(path: string): Seen | undefined
  forget(): void
}

export const lastFile = (): LastFile => {
  let last: (Seen & { readonly path: string }) | undefined
  return {
    seen: (path, dir, at, ino) => {
      last = { path, dir, at, ino }
    },
    of: (path) => (last !== undefined && last.path === path && !last.dir.detached ? last : undefined),
    forget: () => {
      last = undefined
    },
  }
}
