/**
 * The name an extracted image is recorded under: the caller's, else the layout's ref name when
 * it is a whole reference (`registry/path:tag`), else `<layout directory's name>:<ref>` (a
 * layout's ref name is usually a bare tag such as `1.0`), or `<directory>@<digest>` for a
 * digest ref. A directory name the grammar refuses as a path component is lowercased, its
 * other characters runs of '-' ('image' when nothing is left). Every name is checked against
 * the OCI/Docker reference grammar and written back canonically.
 */
import { basename, resolve } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import { err, type StorageError } from '../errors.js'
import { formatImageReference, parseImageReference } from '../oci/reference.js'

const parsed = (s: string): E.Either<StorageError, string> => pipe(parseImageReference(s), E.map(formatImageReference))

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/

const componentOf = (dirName: string): string => {
  if (PATH_COMPONENT.test(dirName)) return dirName
  const words = dirName
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '')
  return words.length === 0 ? 'image' : words.join('-')
}

export const imageNameFor = (dir: string, ref: string, given?: string): E.Either<StorageError, string> => {
  if (given !== undefined) return parsed(given)
  if (ref.includes('/') || (ref.includes(':') && !/^sha256:/.test(ref))) return parsed(ref)
  const base = componentOf(basename(resolve(dir)))
  const name = /^sha256:/.test(ref) ? `${base}@${ref}` : `${base}:${ref}`
  return pipe(
    parsed(name),
    E.mapLeft(
      (e): StorageError =>
        e._tag === 'InvalidName' ? err('InvalidName', { name, reason: `${e.reason}; give the image a name` }) : e,
    ),
  )
}
