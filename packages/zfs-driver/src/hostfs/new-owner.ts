/**
 * Whether a regular file this process has just created in a pinned directory already has the
 * owner asked of it, so that its fchown can be skipped. A new file is owned by the euid, and by
 * the egid or the directory's group (a setgid directory, a `grpid` mount); a file system that
 * gives every entry one owner gives the directory that owner too. So where the directory is owned
 * by euid:egid and that is what is asked, the file surely has it. The directory's owner is looked
 * at once (statx of its descriptor) and kept on its node until this tree changes the directory.
 */
import type { DirNode } from './dir-cache.js'
import type { HostCalls } from './host-calls.js'

/** True when a file just created in `dir` is surely owned by `uid`:`gid` already (undefined: either kept as it is). */
export const ownedAlready = (
  calls: HostCalls,
  dir: DirNode | undefined,
  uid: number | undefined,
  gid: number | undefined,
): boolean => {
  if (dir === undefined || dir.detached) return false
  const euid = process.geteuid?.()
  const egid = process.getegid?.()
  if (euid === undefined || egid === undefined) return false
  if ((uid !== undefined && uid !== euid) || (gid !== undefined && gid !== egid)) return false
  if (dir.owner === undefined) {
    const { stat } = calls.fstat(dir.fd)
    dir.owner = { uid: stat.uid, gid: stat.gid }
  }
  return dir.owner.uid === euid && dir.owner.gid === egid
}
