/**
 * Where mounted ZFS filesystems are, from the kernel's mount table (Linux `/proc/self/mountinfo`,
 * as libzfs's own mnttab cache reads it): a file read, no `zfs` process. The table is the truth
 * whatever set the mountpoint (inherited, local, legacy); a filesystem it does not show is asked
 * of `zfs get` instead (driver.ts), which also gives the precise error.
 */
import { readFile } from 'node:fs/promises'

/** The mount table's text, or undefined where this host has none. */
export type MountTable = () => Promise<string | undefined>

/** This host's mount table (`/proc/self/mountinfo`). */
export const procMountTable: MountTable = async () => {
  try {
    return await readFile('/proc/self/mountinfo', 'utf8')
  } catch {
    return undefined
  }
}

/** `\040` -> space: the kernel's escaping of space, tab, newline and backslash in mountinfo fields. */
const unescapeField = (s: string): string =>
  s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)))

/**
 * The directory `dataset` is mounted on: the first zfs mount of its root (bind mounts of a
 * subdirectory have another root field and are skipped), or undefined.
 */
export const mountpointIn = (table: string, dataset: string): string | undefined => {
  for (const line of table.split('\n')) {
    // id parent major:minor root mountpoint options [optional fields...] - fstype source superoptions
    const f = line.split(' ')
    const dash = f.indexOf('-', 6)
    if (dash < 0 || f[dash + 1] !== 'zfs' || f[3] !== '/') continue
    if (unescapeField(f[dash + 2] ?? '') === dataset) return unescapeField(f[4]!)
  }
  return undefined
}
