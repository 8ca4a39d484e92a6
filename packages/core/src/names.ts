/**
 * Branded names, validated once at the boundary with OpenZFS's rules
 * (module/zcommon/zfs_namecheck.c: entity_namecheck; libzfs zfs_validate_name).
 * Inside the library a `DatasetName` or `SnapshotName` is trusted.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { err, type StorageError } from './errors.js'

/** The longest dataset or snapshot name ZFS accepts is one byte shorter than this. */
export const MAX_NAME_LEN = 256 // strlen(name) >= 256 is too long
/** dataset_nestcheck: a depth ('/' count) of 50 or more is refused (seen on OpenZFS 2.3.2: 49 created, 50 refused) */
export const MAX_NESTING = 50

const validChar = (c: string): boolean => /^[A-Za-z0-9_.: -]$/.test(c)

/** entity_namecheck: the reason the whole name (with optional @snap) is bad, or undefined. */
export const entityNameProblem = (path: string): string | undefined => {
  if (Buffer.byteLength(path) >= MAX_NAME_LEN) return 'name is too long'
  if (path.startsWith('/')) return 'leading slash in name'
  if (path === '') return "empty component or misplaced '@' or '#' delimiter in name"
  let start = 0
  let foundDelim = false
  for (;;) {
    let end = start
    while (end < path.length && !'/@#'.includes(path[end]!)) end++
    if (end === path.length && path[end - 1] === '/') return 'trailing slash in name'
    for (let i = start; i < end; i++) {
      const c = path[i]!
      if (!validChar(c) && c !== '%') return `invalid character '${c}' in name`
    }
    const comp = path.slice(start, end)
    const delim = path[end]
    if (delim === undefined || delim === '/') {
      if (comp === '.') return "self reference, '.' is found in name"
      if (comp === '..') return "parent reference, '..' is found in name"
    }
    if (delim === '@' || delim === '#') {
      if (foundDelim) return "multiple '@' and/or '#' delimiters in name"
      foundDelim = true
    }
    if (start === end) return "empty component or misplaced '@' or '#' delimiter in name"
    if (delim === undefined) return undefined
    if (delim === '/' && foundDelim) return 'trailing slash in name'
    start = end + 1
  }
}

/** zfs_validate_name for a modifying operation on a filesystem name. */
export const datasetNameProblem = (s: string): string | undefined => {
  if (s.includes('@')) return "snapshot delimiter '@' is not expected here"
  if (s.includes('#')) return "bookmark delimiter '#' is not expected here"
  if (s.includes('%')) return 'invalid character % in name'
  const p = entityNameProblem(s)
  if (p !== undefined) return p
  if (!/^[A-Za-z]/.test(s)) return 'pool name must begin with a letter'
  if (s.split('/').length - 1 >= MAX_NESTING) return 'maximum name nesting depth exceeded'
  return undefined
}

/** zfs_validate_name for a modifying operation on a snapshot name (`fs@snap`). */
export const snapshotNameProblem = (s: string): string | undefined => {
  if (!s.includes('@')) return "missing '@' delimiter in snapshot name"
  if (s.includes('#')) return "bookmark delimiter '#' is not expected here"
  if (s.includes('%')) return 'invalid character % in name'
  const p = entityNameProblem(s)
  if (p !== undefined) return p
  if (!/^[A-Za-z]/.test(s)) return 'pool name must begin with a letter'
  return undefined
}

/** zfs_prop_user: a user property is `[a-z0-9_.:-]`, contains ':', name shorter than 256 bytes. */
export const propertyNameProblem = (s: string): string | undefined => {
  if (!s.includes(':') || !/^[a-z0-9_.:-]+$/.test(s)) return `invalid property '${s}'`
  if (Buffer.byteLength(s) >= 256) return `property name '${s}' is too long`
  return undefined
}
/** A user property value must be shorter than this many bytes. */
export const MAX_PROPERTY_VALUE = 8192 // value length >= 8192 is too long

interface DatasetNameBrand {
  readonly DatasetName: unique symbol
}
interface SnapshotNameBrand {
  readonly SnapshotName: unique symbol
}
interface PropertyNameBrand {
  readonly PropertyName: unique symbol
}
interface ContainerIdBrand {
  readonly ContainerId: unique symbol
}

/** A container id is one dataset name component (no '/', '@', '#'), valid under any base. */
export const containerIdProblem = (s: string): string | undefined =>
  /[/@#]/.test(s) || s === ''
    ? 'a container id is one dataset name component'
    : datasetNameProblem(`pool/${s}`) === undefined
      ? undefined
      : 'not a valid dataset name component'

/** A filesystem dataset name: `pool/a/b`. */
export const DatasetName = t.brand(
  t.string,
  (s): s is t.Branded<string, DatasetNameBrand> => datasetNameProblem(s) === undefined,
  'DatasetName',
)
export type DatasetName = t.TypeOf<typeof DatasetName>

/** A snapshot name: `pool/a/b@snap`. */
export const SnapshotName = t.brand(
  t.string,
  (s): s is t.Branded<string, SnapshotNameBrand> => snapshotNameProblem(s) === undefined,
  'SnapshotName',
)
export type SnapshotName = t.TypeOf<typeof SnapshotName>

/** A user property name: `module:property`. */
export const PropertyName = t.brand(
  t.string,
  (s): s is t.Branded<string, PropertyNameBrand> => propertyNameProblem(s) === undefined,
  'PropertyName',
)
export type PropertyName = t.TypeOf<typeof PropertyName>

/** A container id: the `<id>` of `<base>/runtime/<id>`. */
export const ContainerId = t.brand(
  t.string,
  (s): s is t.Branded<string, ContainerIdBrand> => containerIdProblem(s) === undefined,
  'ContainerId',
)
export type ContainerId = t.TypeOf<typeof ContainerId>

/** A dataset or a snapshot name. */
export type AnyName = DatasetName | SnapshotName

const parseWith =
  <A>(problem: (s: string) => string | undefined) =>
  (s: string): E.Either<StorageError, A> => {
    const p = problem(s)
    return p === undefined ? E.right(s as unknown as A) : E.left(err('InvalidName', { name: s, reason: p }))
  }

/** Parses a dataset name (`pool/a/b`): InvalidName saying what is wrong. */
export const parseDatasetName: (s: string) => E.Either<StorageError, DatasetName> = parseWith(datasetNameProblem)
/** Parses a snapshot name (`pool/a@s`): InvalidName saying what is wrong. */
export const parseSnapshotName: (s: string) => E.Either<StorageError, SnapshotName> = parseWith(snapshotNameProblem)
/** Parses a user property name (`module:prop`): InvalidName saying what is wrong. */
export const parsePropertyName: (s: string) => E.Either<StorageError, PropertyName> = parseWith(propertyNameProblem)
/** Parses a container id (one dataset name component): InvalidName saying what is wrong. */
export const parseContainerId: (s: string) => E.Either<StorageError, ContainerId> = parseWith(containerIdProblem)
/** A dataset or a snapshot name, told apart by '@'. */
export const parseAnyName = (s: string): E.Either<StorageError, AnyName> =>
  s.includes('@') ? parseSnapshotName(s) : parseDatasetName(s)

/** Unsafe: for names built from already-valid parts and literals in tests. Throws on a bad name. */
export const datasetName = (s: string): DatasetName => {
  const p = datasetNameProblem(s)
  if (p !== undefined) throw new TypeError(`bad dataset name '${s}': ${p}`)
  return s as DatasetName
}
/** Unsafe: a snapshot name from already-valid parts (tests, literals). Throws on a bad name. */
export const snapshotName = (s: string): SnapshotName => {
  const p = snapshotNameProblem(s)
  if (p !== undefined) throw new TypeError(`bad snapshot name '${s}': ${p}`)
  return s as SnapshotName
}
/** Unsafe: a container id from a literal (tests). Throws on a bad id. */
export const containerId = (s: string): ContainerId => {
  const p = containerIdProblem(s)
  if (p !== undefined) throw new TypeError(`bad container id '${s}': ${p}`)
  return s as ContainerId
}
/** Unsafe: a property name from a literal (tests). Throws on a bad name. */
export const propertyName = (s: string): PropertyName => {
  const p = propertyNameProblem(s)
  if (p !== undefined) throw new TypeError(`bad property name '${s}': ${p}`)
  return s as PropertyName
}

/** True when `n` names a snapshot (it has '@'). */
export const isSnapshotName = (n: AnyName): n is SnapshotName => n.includes('@')
/** `p/a@s` -> `p/a` */
export const datasetOf = (s: SnapshotName): DatasetName => s.slice(0, s.indexOf('@')) as DatasetName
/** `p/a@s` -> `s` */
export const shortSnapshotOf = (s: SnapshotName): string => s.slice(s.indexOf('@') + 1)
/** `p/a`, `s` -> `p/a@s` (validated) */
export const snapshotOf = (d: DatasetName, short: string): E.Either<StorageError, SnapshotName> =>
  parseSnapshotName(`${d}@${short}`)
/** `p/a/b` -> `p/a`; a pool root has no parent. */
export const parentOf = (d: DatasetName): DatasetName | undefined =>
  d.includes('/') ? (d.slice(0, d.lastIndexOf('/')) as DatasetName) : undefined
/** `p/a`, `b` -> `p/a/b` (validated) */
export const childOf = (d: DatasetName, component: string): E.Either<StorageError, DatasetName> =>
  parseDatasetName(`${d}/${component}`)
/** The pool a name lies in: `p/a@s` -> `p`. */
export const poolOf = (n: AnyName): string => n.split(/[/@]/)[0]!
/** True when `d` is `anc` or lies below it in the namespace. */
export const isWithin = (d: string, anc: string): boolean => d === anc || d.startsWith(`${anc}/`)
