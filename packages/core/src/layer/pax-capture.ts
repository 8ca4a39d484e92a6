/**
 * Keeps the raw bytes of the PAX headers tar-stream reads, because tar-stream 3 decodes PAX
 * records as UTF-8 text (`header.pax`: lossy for binary xattr values).
 *
 * tar-stream 3.2.2 (pinned) hands every PAX header's data to its extract's
 * `_decodeLongHeader(buf)`, which leaves the decoded object in `_pax`; that object becomes
 * `header.pax` of the very entry the PAX header precedes. The hook wraps that one method on
 * one extract instance and maps the decoded object to the raw bytes, so the raw records
 * are keyed to their entry by identity, never by position. A global header ('g') is merged
 * as tar-stream merges it: into an entry's records only when the entry has a PAX header of
 * its own. If tar-stream no longer has the method, the hook refuses to start (loud, not lossy).
 */
import type { Extract } from 'tar-stream'

interface Internals {
  _decodeLongHeader?: (buf: Uint8Array) => void
  _header?: { readonly type?: unknown } | null
  _pax?: object | null
}

/** `header.pax` of an entry -> the raw PAX header data that made it (global first), or undefined. */
export type RawPaxOf = (pax: unknown) => readonly Uint8Array[] | undefined

export const captureRawPax = (ex: Extract): RawPaxOf => {
  const inner = ex as unknown as Internals
  const original = inner._decodeLongHeader
  if (typeof original !== 'function') throw new Error('tar-stream has no _decodeLongHeader: raw PAX records cannot be read (upgrade of tar-stream?)')
  const raw = new WeakMap<object, readonly Uint8Array[]>()
  let global: Uint8Array | undefined
  inner._decodeLongHeader = function (this: Internals, buf: Uint8Array): void {
    original.call(this, buf)
    const type = this._header?.type
    if (type === 'pax-global-header') global = Uint8Array.from(buf)
    else if (type === 'pax-header' && typeof this._pax === 'object' && this._pax !== null) {
      raw.set(this._pax, global === undefined ? [Uint8Array.from(buf)] : [global, Uint8Array.from(buf)])
    }
  }
  return (pax) => (typeof pax === 'object' && pax !== null ? raw.get(pax) : undefined)
}
