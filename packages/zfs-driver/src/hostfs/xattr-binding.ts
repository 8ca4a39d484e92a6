/**
 * The native xattr binding (`@napi-rs/xattr`, prebuilt N-API binaries per platform), loaded
 * once, lazily. Where no binary fits this platform the load fails, `xattrSupport()` is false
 * and the file trees answer xattr calls with `Unsupported`.
 *
 * Verified on Linux (ext4, as root): every call acts on the final component itself
 * (lgetxattr/lsetxattr/llistxattr/lremovexattr): `user.x` set through a symlink path is EPERM
 * (Linux refuses user.* on symlinks), `trusted.t` lands on the symlink, not its target.
 *
 * Its failures are napi errors with code 'GenericFailure' and a message ending in
 * `(os error N)`: `errnoOf` recovers the errno name. Its `getAttribute` answers null for
 * every failure (missing attribute, missing path, bad name alike): callers tell them apart.
 */
import { createRequire } from 'node:module'
import { errnoName } from './errno.js'
import { loadOnce } from './load-once.js'

export type XattrBinding = typeof import('@napi-rs/xattr')

const load = loadOnce(() => createRequire(import.meta.url)('@napi-rs/xattr') as XattrBinding)

/** The binding, or undefined where it cannot load on this platform. */
export const xattrBinding = (): XattrBinding | undefined => load().value

/** Whether this process can read and write extended attributes of host files. */
export const xattrSupport = (): boolean => load().value !== undefined

/** Why the binding did not load ('' when it did). */
export const xattrUnsupportedReason = (): string => load().reason

/** The errno name of a binding failure ('(os error 61)' -> 'ENODATA'), else undefined. */
export const errnoOf = (e: unknown): string | undefined => {
  const m = /\(os error (\d+)\)\s*$/.exec(e instanceof Error ? e.message : '')
  return m === null ? undefined : errnoName(Number(m[1]))
}
