/**
 * Tar entry names: normalization into root-relative paths, whiteout recognition, and the
 * byte order used to sort layer entries. Pure functions; no file system.
 */
import * as E from 'fp-ts/lib/Either.js'
import { nameToBytes } from '../byte-names.js'
import { err, type StorageError } from '../errors.js'

/** A layer entry named `.wh.<name>` deletes `<name>` from the layers below. */
export const WHITEOUT_PREFIX = '.wh.'
/** A layer entry with this name hides everything below in its directory. */
export const OPAQUE_MARKER = '.wh..wh..opq'
/** Names starting with this are aufs metadata (`.wh..wh.plnk`, ...), never file names. */
export const WHITEOUT_META_PREFIX = '.wh..wh.'

/** A leading, trailing or doubled '/', or a '.' or '..' component. */
const NEEDS_FOLDING = /^\/|\/$|\/\/|(^|\/)\.\.?(\/|$)/

/**
 * A tar entry name as a root-relative path: leading '/' stripped, empty and '.' components
 * dropped, '..' folded lexically. The root itself is ''. Refused: NUL anywhere, an empty raw
 * name, and a '..' that would climb above the root.
 */
export const normalizeEntryName = (raw: string): E.Either<StorageError, string> => {
  // most names are already normal but for a directory's trailing '/': no folding needed
  const plain = raw.length > 1 && raw.endsWith('/') ? raw.slice(0, -1) : raw
  if (plain !== '' && !plain.includes('\u0000') && !NEEDS_FOLDING.test(plain)) return E.right(plain)
  if (raw.includes('\u0000')) return E.left(err('UnsafePath', { entry: raw, reason: 'name contains NUL' }))
  if (raw === '') return E.left(err('UnsafePath', { entry: raw, reason: 'empty name' }))
  const out: string[] = []
  for (const c of raw.split('/')) {
    if (c === '' || c === '.') continue
    if (c === '..') {
      if (out.length === 0) return E.left(err('UnsafePath', { entry: raw, reason: "'..' escapes the root" }))
      out.pop()
      continue
    }
    out.push(c)
  }
  return E.right(out.join('/'))
}

export const parentPath = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')
export const baseName = (p: string): string => p.slice(p.lastIndexOf('/') + 1)
export const joinPath = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`)
/** Every proper ancestor of `p`, outermost first, root ('') excluded: `a/b/c` -> [`a`, `a/b`]. */
export const ancestorsOf = (p: string): string[] => {
  const parts = p.split('/')
  const out: string[] = []
  for (let i = 1; i < parts.length; i++) out.push(parts.slice(0, i).join('/'))
  return out
}
/** True when `p` is `dir` or lies below it (`dir` '' is the root, above everything). */
export const isUnder = (p: string, dir: string): boolean => dir === '' || p === dir || p.startsWith(`${dir}/`)

/** What a normalized entry path means for the overlay. */
export type EntryKind =
  | { readonly kind: 'plain'; readonly path: string }
  /** `dir/.wh.name`: hide `dir/name` of lower layers */
  | { readonly kind: 'whiteout'; readonly path: string; readonly target: string }
  /** `dir/.wh..wh..opq`: hide every lower entry of `dir` */
  | { readonly kind: 'opaque'; readonly path: string; readonly dir: string }
  /** `dir/.wh..wh.<other>`: aufs metadata, skipped */
  | { readonly kind: 'meta'; readonly path: string }

/** Classifies a normalized path; a whiteout whose target would escape or be empty is refused (W4). */
export const classifyEntry = (entry: string, path: string): E.Either<StorageError, EntryKind> => {
  const base = baseName(path)
  if (!base.startsWith(WHITEOUT_PREFIX)) return E.right({ kind: 'plain', path })
  const dir = parentPath(path)
  if (base === OPAQUE_MARKER) return E.right({ kind: 'opaque', path, dir })
  if (base.startsWith(WHITEOUT_META_PREFIX)) return E.right({ kind: 'meta', path })
  const name = base.slice(WHITEOUT_PREFIX.length)
  if (name === '' || name === '.' || name === '..') {
    return E.left(err('UnsafePath', { entry, reason: `whiteout of '${name}' names no entry` }))
  }
  return E.right({ kind: 'whiteout', path, target: joinPath(dir, name) })
}

/** Byte order of the names' bytes (JS `<` compares UTF-16 units: it differs above U+FFFF and for escaped bytes). */
export const compareBytes = (a: string, b: string): number => Buffer.compare(nameToBytes(a), nameToBytes(b))
