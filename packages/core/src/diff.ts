/**
 * `zfs diff -H -F` change records. Paths are relative to the dataset root, starting with '/':
 * the root itself is '/'. Records come in no particular order; `sortDiff` gives a canonical one.
 */
import type { FileType } from './fs.js'

/** One change `Driver.diff` reports (zfs diff's -, +, M and R lines). */
export type DiffRecord =
  /** removed: the object at `path` in `from` no longer exists (or was replaced by another object) */
  | { readonly change: '-'; readonly type: FileType; readonly path: string }
  /** added: a new object at `path` */
  | { readonly change: '+'; readonly type: FileType; readonly path: string }
  /** modified: data, metadata or (directory) entries; `linkDelta` when only the link count changed (`(+1)`) */
  | { readonly change: 'M'; readonly type: FileType; readonly path: string; readonly linkDelta?: number }
  /** the same object now lives at `newPath` */
  | { readonly change: 'R'; readonly type: FileType; readonly path: string; readonly newPath: string }

const key = (r: DiffRecord): string =>
  `${r.path}\u0000${r.change}\u0000${r.type}\u0000${r.change === 'R' ? r.newPath : ''}\u0000${r.change === 'M' ? (r.linkDelta ?? 0) : 0}`

/** Canonical order for comparing two diffs. */
export const sortDiff = (rs: readonly DiffRecord[]): DiffRecord[] =>
  [...rs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))

/** One line as `zfs diff -H -F` prints it, relative to the dataset root (no escaping). */
export const formatDiffRecord = (r: DiffRecord): string => {
  switch (r.change) {
    case 'R':
      return `R\t${r.type}\t${r.path}\t${r.newPath}`
    case 'M':
      return r.linkDelta !== undefined && r.linkDelta !== 0
        ? `M\t${r.type}\t${r.path}\t(${r.linkDelta > 0 ? '+' : ''}${r.linkDelta})`
        : `M\t${r.type}\t${r.path}`
    default:
      return `${r.change}\t${r.type}\t${r.path}`
  }
}
