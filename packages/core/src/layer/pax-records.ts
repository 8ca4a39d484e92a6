/**
 * PAX extended header records read from their raw bytes: `<len> <key>=<value>\n`, where
 * len counts the whole record in bytes and the value is bytes, not text. `SCHILY.xattr.<name>`
 * values are raw xattr bytes in tars written by Docker, containerd and Go's archive/tar, so
 * they must not go through a UTF-8 decoder (tar-stream's does, replacing invalid bytes).
 *
 * Strict as Go's archive/tar (parsePAXRecord): a record that does not parse is an error,
 * not the end of the records.
 */
import * as E from 'fp-ts/lib/Either.js'

const SPACE = 0x20
const EQUALS = 0x3d
const NEWLINE = 0x0a
const XATTR_PREFIX = 'SCHILY.xattr.'
const utf8 = new TextDecoder('utf-8', { fatal: true })

export interface PaxRecord {
  readonly key: string
  readonly value: Uint8Array
}

/** The records of one PAX header's data, in order; Left with the reason when malformed. */
export const parsePaxRecords = (data: Uint8Array): E.Either<string, PaxRecord[]> => {
  const out: PaxRecord[] = []
  let at = 0
  while (at < data.length) {
    const space = data.indexOf(SPACE, at)
    const digits = space === -1 ? '' : Buffer.from(data.subarray(at, space)).toString('latin1')
    if (!/^[1-9][0-9]{0,9}$/.test(digits)) return E.left(`PAX record at byte ${at}: bad length`)
    const end = at + Number(digits)
    if (end > data.length || end <= space + 1) return E.left(`PAX record at byte ${at}: length ${digits} out of bounds`)
    if (data[end - 1] !== NEWLINE) return E.left(`PAX record at byte ${at}: no newline at its end`)
    const body = data.subarray(space + 1, end - 1)
    const eq = body.indexOf(EQUALS)
    if (eq <= 0) return E.left(`PAX record at byte ${at}: no key`)
    let key: string
    try {
      key = utf8.decode(body.subarray(0, eq))
    } catch {
      return E.left(`PAX record at byte ${at}: key is not UTF-8`)
    }
    if (key.includes('\0')) return E.left(`PAX record at byte ${at}: NUL in key`)
    out.push({ key, value: Uint8Array.from(body.subarray(eq + 1)) })
    at = end
  }
  return E.right(out)
}

/**
 * The xattrs named by `SCHILY.xattr.*` records across the given PAX headers' data (a global
 * header's first, then the entry's own): a later record for a name wins; sorted by name.
 */
export const paxXattrs = (headers: readonly Uint8Array[]): E.Either<string, Array<readonly [string, Uint8Array]>> => {
  const found = new Map<string, Uint8Array>()
  for (const data of headers) {
    const recs = parsePaxRecords(data)
    if (E.isLeft(recs)) return recs
    for (const r of recs.right) {
      if (!r.key.startsWith(XATTR_PREFIX)) continue
      const name = r.key.slice(XATTR_PREFIX.length)
      if (name === '') return E.left('SCHILY.xattr. record with an empty name')
      found.set(name, r.value)
    }
  }
  return E.right([...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}
