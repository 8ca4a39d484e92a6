/**
 * A comparable description of a file tree: per path its type, permission bits, owner, size,
 * content digest, link target, the other names of the same object, and the mtime of regular
 * files. Two trees are "the same" when their manifests are equal; `compareManifests` lists
 * the differences, one line each.
 */
import { createHash } from 'node:crypto'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { FileTree, FileType, StorageError } from '@stratum/core'
import { joinPath as join, must, steps } from '@stratum/core/internal'

export interface ManifestEntry {
  readonly type: FileType
  /** permission bits (not compared for symlinks) */
  readonly mode: number | null
  readonly uid: number
  readonly gid: number
  readonly size: number | null
  readonly sha256: string | null
  readonly target: string | null
  /** the other paths naming the same object (hardlinks), sorted; [] for none */
  readonly links: readonly string[]
  /** regular files only */
  readonly mtimeMs: number | null
  readonly rdev: number | null
}

export type Manifest = ReadonlyMap<string, ManifestEntry>

const hashOf = async (chunks: AsyncIterable<Uint8Array>): Promise<string> => {
  const h = createHash('sha256')
  for await (const c of chunks) h.update(c)
  return h.digest('hex')
}

/** Every entry below the root (the root itself is '' and included). */
export const manifestOf = (tree: FileTree): TE.TaskEither<StorageError, Manifest> =>
  steps(async () => {
    const raw = new Map<string, Omit<ManifestEntry, 'links'> & { ino: number; nlink: number }>()
    const visit = async (path: string): Promise<void> => {
      const st = await must(tree.lstat(path))
      raw.set(path, {
        type: st.type,
        mode: st.type === '@' ? null : st.mode,
        uid: st.uid,
        gid: st.gid,
        size: st.type === 'F' || st.type === '@' ? st.size : null,
        sha256: st.type === 'F' ? await hashOf(await must(tree.read(path))) : null,
        target: st.type === '@' ? await must(tree.readlink(path)) : null,
        mtimeMs: st.type === 'F' ? st.mtimeMs : null,
        rdev: st.type === 'B' || st.type === 'C' ? st.rdev : null,
        ino: st.ino,
        nlink: st.nlink,
      })
      if (st.type === '/') for (const name of await must(tree.readdir(path))) await visit(join(path, name))
    }
    await visit('')
    const byIno = new Map<number, string[]>()
    for (const [p, e] of raw) if (e.type !== '/' && e.nlink > 1) byIno.set(e.ino, [...(byIno.get(e.ino) ?? []), p])
    const out = new Map<string, ManifestEntry>()
    for (const [p, { ino, nlink: _n, ...e }] of raw) {
      const names = e.type === '/' ? [] : (byIno.get(ino) ?? [])
      out.set(p, { ...e, links: names.filter((n) => n !== p).sort() })
    }
    return out
  })

export interface CompareOptions {
  /** compare uid/gid (off when one side could not set owners) */
  readonly owners: boolean
}

/** One line per difference between `a` and `b` ([] when they describe the same tree). */
export const compareManifests = (a: Manifest, b: Manifest, opts: CompareOptions = { owners: true }): string[] => {
  const out: string[] = []
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort()
  for (const p of paths) {
    const x = a.get(p)
    const y = b.get(p)
    const name = p === '' ? '/' : p
    if (x === undefined) {
      out.push(`${name}: only in the second tree`)
      continue
    }
    if (y === undefined) {
      out.push(`${name}: only in the first tree`)
      continue
    }
    const keys = [
      'type',
      'mode',
      'size',
      'sha256',
      'target',
      'links',
      'mtimeMs',
      'rdev',
      ...(opts.owners ? ['uid', 'gid'] : []),
    ] as const
    for (const k of keys) {
      const vx = JSON.stringify(x[k as keyof ManifestEntry])
      const vy = JSON.stringify(y[k as keyof ManifestEntry])
      if (vx !== vy) out.push(`${name}: ${k} ${vx} != ${vy}`)
    }
  }
  return out
}
