/**
 * PAX extended header records read from their raw bytes: `<len> <key>=<value>\n`, where
 * len counts the whole record in bytes and the value is bytes, not text: `SCHILY.xattr.<name>`
 * values are raw xattr bytes (Docker, containerd, Go's archive/tar) and GNU tar writes raw
 * name bytes into `path`, so no value goes through a UTF-8 decoder.
 *
 * Strict as Go's archive/tar (parsePAXRecord): a record that does not parse is an error,
 * not the end of the records.
 */
import * as E from 'fp-ts/lib/Either.js'

const SPACE = 0x20
const EQUALS = 0x3d
const NEWLINE = 0x0a
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
 * A PAX time (`[-]seconds[.fraction]`, any number of fraction digits) as integer milliseconds,
 * rounded down (towards the past, so `-1.0005` is -1001): Stat.mtimeMs is integer ms, and a
 * stored time is never later than the archive's. Undefined when it is not such a number.
 */
export const paxMtimeMs = (text: string): number | undefined => {
  const m = /^(-?)([0-9]{1,16})(?:\.([0-9]{0,64}))?$/.exec(text)
  if (m === null) return undefined
  const frac = (m[3] ?? '').padEnd(3, '0')
  const ms = Number(m[2]) * 1000 + Number(frac.slice(0, 3))
  if (m[1] === '') return ms
  return -ms - (/[1-9]/.test(frac.slice(3)) ? 1 : 0)
}
