/**
 * The two sides of a differential run and the one primitive every command uses: `both`
 * runs the same call on side a and side b (names relative to each side's base) and fails
 * with a `Divergence` when the outcomes differ: Right vs Left, the error tag and its
 * significant fields (base prefixes mapped to '$'), or the values as the caller compares them.
 */
import type { DatasetName, Driver, FileTree, StorageError } from '@stratum/core'
import { describeError } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'

export interface Side {
  readonly label: 'a' | 'b'
  readonly driver: Driver
  readonly base: DatasetName
  /** file trees by relative name, valid until the next namespace call (a rename moves a mount) */
  readonly trees: Map<string, FileTree>
}

export interface Tally {
  sequences: number
  calls: number
  divergences: number
}

export interface Sides {
  readonly a: Side
  readonly b: Side
  /** chown (and so uid/gid) is compared only where both drivers can chown */
  readonly chown: boolean
  readonly tally: Tally
}

/** Thrown (inside the fast-check property) when the driver and the simulator disagree. */
export class Divergence extends Error {
  override readonly name = 'Divergence'
}

/** A relative name ('' the base, '/x/y' a dataset, '/x@s' or '@s' a snapshot) on one side. */
export const full = (s: Side, rel: string): string => `${s.base}${rel}`

/** A full name on one side as a relative one ('$' + rest) when it is inside the base; else unchanged. */
export const relName = (s: Side, name: string): string => {
  const b = s.base
  if (name === b) return '$'
  if (name.startsWith(`${b}/`) || name.startsWith(`${b}@`)) return `$${name.slice(b.length)}`
  return name
}

const replaceBase = (s: Side, text: string): string => text.split(s.base).join('$')

/** The significant fields of an error, with this side's base mapped to '$'. */
export const normalizeError = (s: Side, e: StorageError): Record<string, unknown> => {
  switch (e._tag) {
    case 'DatasetExists':
    case 'DatasetNotFound':
    case 'ParentNotFound':
    case 'NotAClone':
    case 'PermissionDenied':
      return { tag: e._tag, name: relName(s, e.name) }
    case 'HasChildren':
      return { tag: e._tag, name: relName(s, e.name), dependents: e.dependents.map((d) => relName(s, d)) }
    case 'HasDependentClones':
      return { tag: e._tag, name: relName(s, e.name), clones: e.clones.map((d) => relName(s, d)) }
    // which dataset the walk meets again first depends on its order (hash order in zfs) when there are several loops
    case 'RecursiveDependency':
      return { tag: e._tag, name: relName(s, e.name) }
    case 'SnapshotNameConflict':
      return { tag: e._tag, name: relName(s, e.name), snapshot: e.snapshot, origin: relName(s, e.origin) }
    case 'InvalidName':
      return { tag: e._tag, name: relName(s, e.name), reason: replaceBase(s, e.reason) }
    case 'Busy':
      return { tag: e._tag, name: relName(s, e.name) }
    case 'LimitExceeded':
      return { tag: e._tag, what: replaceBase(s, e.what), limit: e.limit }
    // the path an errno names and its message are the driver's own: the code is the contract
    case 'Io':
      return { tag: e._tag, code: e.code }
    default:
      return { tag: e._tag }
  }
}

const brief = (x: unknown): string => {
  const j = x === undefined ? '' : (JSON.stringify(x) ?? '')
  return j.length > 400 ? `${j.slice(0, 400)}…` : j
}

const show = (s: Side, r: E.Either<StorageError, unknown>): string =>
  E.isLeft(r)
    ? `${describeError(r.left)}  [compared as ${JSON.stringify(normalizeError(s, r.left))}]`
    : `ok ${brief(r.right)}`

export type CompareValues<A> = (a: A, b: A) => string | undefined

/**
 * Runs `call` on a, then on b; both must succeed or both fail alike; when both succeed,
 * `compare` (if given) names any difference of the values. Returns the two values, or
 * undefined when both failed alike.
 */
export const both = async <A>(
  s: Sides,
  what: string,
  call: (side: Side) => TaskEither<StorageError, A>,
  compare?: CompareValues<A>,
): Promise<[A, A] | undefined> => {
  s.tally.calls++
  const ra = await call(s.a)()
  const rb = await call(s.b)()
  const fail = (why: string): never => {
    throw new Divergence(`${what}: ${why}\n  a: ${show(s.a, ra)}\n  b: ${show(s.b, rb)}`)
  }
  if (E.isLeft(ra) && E.isLeft(rb)) {
    const na = JSON.stringify(normalizeError(s.a, ra.left))
    const nb = JSON.stringify(normalizeError(s.b, rb.left))
    if (na !== nb) fail('the errors differ')
    return undefined
  }
  if (E.isLeft(ra) || E.isLeft(rb)) fail('one side succeeded, the other failed')
  const [va, vb] = [(ra as E.Right<A>).right, (rb as E.Right<A>).right]
  const problem = compare?.(va, vb)
  if (problem !== undefined) fail(problem)
  return [va, vb]
}

/** The file tree of a relative name on both sides: fs() compared once per namespace epoch. */
export const treesOf = async (s: Sides, rel: string): Promise<[FileTree, FileTree] | undefined> => {
  const ta = s.a.trees.get(rel)
  const tb = s.b.trees.get(rel)
  if (ta !== undefined && tb !== undefined) return [ta, tb]
  const got = await both(
    s,
    `fs(${rel || '$'})`,
    (side) => side.driver.fs(full(side, rel) as DatasetName),
    (x, y) => (x.readOnly === y.readOnly ? undefined : `readOnly: a ${x.readOnly}, b ${y.readOnly}`),
  )
  if (got === undefined) return undefined
  s.a.trees.set(rel, got[0])
  s.b.trees.set(rel, got[1])
  return got
}

/** After any namespace call: trees are looked up again (mountpoints move with renames). */
export const forgetTrees = (s: Sides): void => {
  s.a.trees.clear()
  s.b.trees.clear()
}
