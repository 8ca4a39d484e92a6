/**
 * `zfs diff -H -F from to` records (lib/libzfs/libzfs_diff.c). One record a line, fields
 * separated by tabs: `<change>\t<type>\t<path>`, renames `R\t<type>\t<old>\t<new>`, link-count
 * changes `M\t<type>\t<path>\t(+1)`. Paths are the to-dataset's mountpoint plus the path
 * inside it (the root as `<mnt>/`), with every byte that is not printable ASCII, and space
 * and backslash, written as `\` and four octal digits. Names are decoded back to bytes, then
 * to names with `nameFromBytes` (any byte string, UTF-8 or not, one to one).
 */
import * as A from 'fp-ts/lib/Array.js'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { nameFromBytes, type DiffRecord, type FileType, type StorageError } from '@stratum/core'
import { badOutput, outputLines } from './rows.js'

const FILE_TYPES: readonly string[] = ['F', '/', '@', '|', '=', 'B', 'C']

/** `\0040` -> space: the inverse of libzfs's stream_bytes. Undefined when the text is not a valid escaping. */
export const unescapeBytes = (s: string): Uint8Array | undefined => {
  const out: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x5c) {
      const oct = s.slice(i + 1, i + 5)
      if (!/^[0-7]{4}$/.test(oct)) return undefined
      out.push(parseInt(oct, 8) & 0xff)
      i += 4
    } else if (c > 0x20 && c < 0x7f) out.push(c)
    else return undefined
  }
  return Uint8Array.from(out)
}

/** A path from `zfs diff` output with its octal escapes undone (Left when malformed). */
export const unescapePath = (s: string): E.Either<string, string> => {
  const bytes = unescapeBytes(s)
  return bytes === undefined ? E.left('bad octal escaping') : E.right(nameFromBytes(bytes))
}

/** The mountpoint prefix as zfs prints it: '' for a dataset mounted at '/'. */
const prefixOf = (mountpoint: string): string => (mountpoint === '/' ? '' : mountpoint.replace(/\/+$/, ''))

/** `<mnt>/a/b` -> `/a/b`; `<mnt>/` -> `/`. */
export const relativeTo = (mountpoint: string, absolute: string): E.Either<string, string> => {
  const prefix = prefixOf(mountpoint)
  if (!absolute.startsWith(`${prefix}/`)) return E.left(`path is not under the mountpoint '${mountpoint}'`)
  const rel = absolute.slice(prefix.length)
  return E.right(rel.length > 1 ? rel.replace(/\/$/, '') : '/')
}

const pathField = (mountpoint: string, field: string): E.Either<string, string> =>
  pipe(
    unescapePath(field),
    E.flatMap((p) => relativeTo(mountpoint, p)),
  )

const decodeLine =
  (subject: string, mountpoint: string) =>
  (line: string): E.Either<StorageError, DiffRecord> => {
    const bad = (reason: string): StorageError => badOutput('zfs diff', subject, line, reason)
    const f = line.split('\t')
    const [change, type] = f
    if (type === undefined || !FILE_TYPES.includes(type)) return E.left(bad(`unknown file type '${type ?? ''}'`))
    const ft = type as FileType
    const path = (i: number): E.Either<StorageError, string> =>
      f[i] === undefined ? E.left(bad('missing path')) : pipe(pathField(mountpoint, f[i]!), E.mapLeft(bad))
    switch (change) {
      case '-':
      case '+':
        if (f.length !== 3) return E.left(bad('expected 3 fields'))
        return pipe(
          path(2),
          E.map((p) => ({ change, type: ft, path: p })),
        )
      case 'M': {
        if (f.length === 3)
          return pipe(
            path(2),
            E.map((p) => ({ change, type: ft, path: p })),
          )
        const delta = f.length === 4 ? /^\(([+-]\d+)\)$/.exec(f[3]!) : null
        if (delta === null) return E.left(bad('expected a link count change like (+1)'))
        return pipe(
          path(2),
          E.map((p) => ({ change, type: ft, path: p, linkDelta: Number(delta[1]) })),
        )
      }
      case 'R':
        if (f.length !== 4) return E.left(bad('expected 4 fields for a rename'))
        return pipe(
          path(2),
          E.flatMap((p) =>
            pipe(
              path(3),
              E.map((n) => ({ change, type: ft, path: p, newPath: n })),
            ),
          ),
        )
      default:
        return E.left(bad(`unknown change '${change ?? ''}'`))
    }
  }

/** Parses the whole stdout of `zfs diff -H -F`; `mountpoint` is the to-dataset's. */
export const parseDiff = (subject: string, mountpoint: string, stdout: Buffer): E.Either<StorageError, DiffRecord[]> =>
  pipe(outputLines(stdout.toString('latin1')), A.traverse(E.Applicative)(decodeLine(subject, mountpoint)))
