/**
 * FileTree names as host paths: a name is a JS string standing for bytes (byte-names.ts in the
 * core); one holding escaped bytes goes to the host as a Buffer of exactly those bytes, any
 * other as a string (Node encodes it as UTF-8, the same bytes). A string with a lone surrogate
 * that is not an escaped byte has no byte form: EINVAL naming it, never a lossy encoding.
 */
import { hasEscapedBytes, nameFromBytes, nameToBytes } from '@stratum/core'
import { fail } from './errno.js'

export type HostPath = string | Buffer

const SURROGATE = /[\ud800-\udfff]/

/** The name as the host takes it (a string when it is plain UTF-8). */
export const hostName = (name: string): HostPath => {
  if (!SURROGATE.test(name)) return name
  const bytes = nameToBytes(name)
  if (nameFromBytes(bytes) !== name)
    fail('EINVAL', `the name ${JSON.stringify(name)} has no byte form on the host (a lone surrogate)`)
  return hasEscapedBytes(name) ? bytes : name
}

/** `<dir>/<name>` with `name` in its byte form. */
export const hostJoin = (dir: HostPath, name: string): HostPath => {
  const n = hostName(name)
  if (typeof dir === 'string' && typeof n === 'string') return `${dir}/${n}`
  return Buffer.concat([
    typeof dir === 'string' ? Buffer.from(`${dir}/`) : Buffer.concat([dir, Buffer.from('/')]),
    typeof n === 'string' ? Buffer.from(n) : n,
  ])
}

/** A name read from the host (readdir, readlink with encoding 'buffer'). */
export const fromHost = (b: Buffer): string => nameFromBytes(b)

/** A host path for messages. */
export const showHost = (p: HostPath): string => (typeof p === 'string' ? p : nameFromBytes(p))
