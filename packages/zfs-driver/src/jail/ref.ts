/**
 * A FreeBSD jail as `zfs jail` takes it: a jid (a positive integer) or a jail name. OpenZFS's
 * do_jail hands the argument to jail_getid(3), which reads all digits as a jid and anything
 * else as a name, so a name of digits only cannot be given; a name never starts with '-' here,
 * so it cannot read as an option.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { err, type StorageError } from '@stratum/core'

interface JailRefBrand {
  readonly JailRef: unique symbol
}
/** A jid or a jail name, checked by `parseJailRef`. */
export type JailRef = t.Branded<string, JailRefBrand>

const JID = /^[1-9][0-9]{0,9}$/
// jail(8) names: hierarchical with '.', at most MAXHOSTNAMELEN - 1 bytes
const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/

const problem = (s: string): string | undefined => {
  if (JID.test(s)) return Number(s) <= 2 ** 31 - 1 ? undefined : 'a jid is at most 2147483647'
  if (/^[0-9]+$/.test(s)) return 'a jid is a positive integer without leading zeros'
  return NAME.test(s) && !s.endsWith('.') && !s.includes('..')
    ? undefined
    : "a jail name is letters, digits, '_', '-' and '.' (not first, not doubled, not last), at most 255 bytes"
}

/** The io-ts codec of a jail reference (a string that `problem` accepts). */
export const JailRefCodec = t.brand(t.string, (s): s is JailRef => problem(s) === undefined, 'JailRef')

/** A jid or jail name from untrusted input: InvalidName naming it and saying why otherwise. */
export const parseJailRef = (u: unknown): E.Either<StorageError, JailRef> => {
  const s = typeof u === 'string' ? u : String(u)
  return E.mapLeft(() => err('InvalidName', { name: s, reason: problem(s) ?? 'a jail is a jid or a jail name' }))(
    JailRefCodec.decode(u),
  )
}
