/**
 * The regular file a host file tree's last `lstat` looked at, so that `read` of it right after
 * (a copy's lstat-then-read of every file) needs no second lstat: its inode is the one the
 * opener checks the opened file against. Forgotten at any change this tree makes; a change
 * made by another tree over the same files detaches the directory's node (dir-cache.ts), which
 * forgets it too. Another process replacing the file in between makes the open fail (EIO),
 * never read the other file.
 */
import type { DirNode } from './dir-cache.js'

export interface LastFile {
  /** `name` in `dir` was just seen as the regular file `ino` */
  seen(dir: DirNode, name: string, ino: bigint): void
  /** the inode seen for `name` in `dir`, if it is the last one seen and nothing changed since */
  ino(dir: DirNode | undefined, name: string): bigint | undefined
  forget(): void
}

export const lastFile = (): LastFile => {
  let last: { readonly dir: DirNode; readonly name: string; readonly ino: bigint } | undefined
  return {
    seen: (dir, name, ino) => {
      last = { dir, name, ino }
    },
    ino: (dir, name) =>
      last !== undefined && last.dir === dir && last.name === name && !dir.detached ? last.ino : undefined,
    forget: () => {
      last = undefined
    },
  }
}
