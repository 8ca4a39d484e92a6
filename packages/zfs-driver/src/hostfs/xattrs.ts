/**
 * Extended attributes of one host entry, through the native binding (xattr-binding.ts). The
 * caller passes the confined host path of the entry (`<pinned dir>/<name>`, or `<dir>/.` for
 * a directory with no name of its own): the binding never follows the final component, so
 * a symlink's own attributes are read and written (Linux refuses user.* on symlinks: EPERM),
 * never its target's, and no extra lstat (with its check-then-use race) is needed.
 *
 * Errors, as the simulator's for the same situations: a missing attribute is ENODATA, a
 * missing path ENOENT (ENOTDIR, ELOOP from the walk); a read-only tree is EROFS before any
 * of this runs (tree.ts). A malformed name (empty, a NUL, over 255 bytes, or no
 * `user.`/`trusted.`/`security.`/`system.` namespace) is EINVAL whatever the path, as are
 * the host's refusals of a name or value (EOPNOTSUPP, ERANGE, E2BIG).
 */
import type { Bytes } from '@stratum/core'
import { compareBytes as byteOrder } from '@stratum/core/internal'
import { fail, fsCodeOf } from './errno.js'
import { errnoOf, type XattrBinding } from './xattr-binding.js'

/** Linux's XATTR_NAME_MAX */
const NAME_MAX = 255
const NAMESPACED = /^(user|trusted|security|system)\.[^\0]+$/

export const checkXattrName = (name: string): void => {
  if (!NAMESPACED.test(name))
    fail('EINVAL', `bad xattr name ${JSON.stringify(name)}: needs a user., trusted., security. or system. namespace`)
  if (Buffer.byteLength(name, 'utf8') > NAME_MAX) fail('EINVAL', `xattr name longer than ${NAME_MAX} bytes`)
}

const INVALID = ['EOPNOTSUPP', 'ENOTSUP', 'ERANGE', 'E2BIG']

/** A binding failure as an FsFail with the core's code. */
const rethrow =
  (what: string) =>
  (e: unknown): never => {
    const errno = errnoOf(e)
    const message = `${what}: ${e instanceof Error ? e.message : String(e)}`
    if (errno === undefined) return fail('EIO', message)
    if (INVALID.includes(errno)) return fail('EINVAL', message)
    return fail(errno === 'ENOATTR' ? 'ENODATA' : fsCodeOf(errno), message)
  }

export interface XattrOps {
  /** names in byte order */
  list(host: string): Promise<string[]>
  get(host: string, name: string): Promise<Bytes>
  set(host: string, name: string, value: Bytes): Promise<void>
  remove(host: string, name: string): Promise<void>
}

export const xattrOps = (b: XattrBinding): XattrOps => {
  const list = async (host: string): Promise<string[]> =>
    (await b.listAttributes(host).catch(rethrow('listxattr'))).sort(byteOrder)
  return {
    list,
    async get(host, name) {
      checkXattrName(name)
      const v = await b.getAttribute(host, name).catch(rethrow('getxattr'))
      if (v !== null) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
      // null is any failure: the listing reports a missing path (ENOENT, ENOTDIR) or shows the name absent
      if (!(await list(host)).includes(name)) return fail('ENODATA', `no xattr ${name}`)
      return fail('EIO', `xattr ${name} is listed but could not be read`)
    },
    async set(host, name, value) {
      checkXattrName(name)
      await b
        .setAttribute(host, name, Buffer.from(value.buffer, value.byteOffset, value.byteLength))
        .catch(rethrow('setxattr'))
    },
    async remove(host, name) {
      checkXattrName(name)
      await b.removeAttribute(host, name).catch(rethrow('removexattr'))
    },
  }
}
