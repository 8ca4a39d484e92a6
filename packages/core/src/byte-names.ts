/**
 * Names are bytes: a file name from a tar or from `zfs diff` may be any byte string, not only
 * UTF-8. Inside Stratum a name is a JS string that maps to those bytes one to one: valid UTF-8
 * decodes as usual, and each byte of an invalid sequence becomes the lone surrogate
 * U+DC00+byte (Python's "surrogateescape"), which valid UTF-8 can never produce.
 * `nameToBytes(nameFromBytes(b))` equals `b` for every byte string `b`.
 */

const ESC = 0xdc00

/** Length of the valid UTF-8 sequence starting at `i`, or 0 when the byte there starts none. */
const seqLength = (b: Uint8Array, i: number): number => {
  const c = b[i]!
  const cont = (k: number): boolean => i + k < b.length && (b[i + k]! & 0xc0) === 0x80
  if (c < 0x80) return 1
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0
  if (c >= 0xe0 && c <= 0xef) {
    if (!cont(1) || !cont(2)) return 0
    const c1 = b[i + 1]!
    if (c === 0xe0 && c1 < 0xa0) return 0 // overlong
    if (c === 0xed && c1 >= 0xa0) return 0 // an encoded surrogate
    return 3
  }
  if (c >= 0xf0 && c <= 0xf4) {
    if (!cont(1) || !cont(2) || !cont(3)) return 0
    const c1 = b[i + 1]!
    if (c === 0xf0 && c1 < 0x90) return 0 // overlong
    if (c === 0xf4 && c1 >= 0x90) return 0 // above U+10FFFF
    return 4
  }
  return 0
}

// fatal: invalid UTF-8 throws instead of becoming U+FFFD; ignoreBOM: a leading U+FEFF is part of the name
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** The name for a byte string: UTF-8 where valid, each other byte as U+DC00+byte. */
export const nameFromBytes = (bytes: Uint8Array): string => {
  try {
    return utf8.decode(bytes)
  } catch {
    // not UTF-8: escaped byte by byte below
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let out = ''
  let i = 0
  while (i < buf.length) {
    const n = seqLength(buf, i)
    if (n === 0) {
      out += String.fromCharCode(ESC + buf[i]!)
      i += 1
    } else {
      out += buf.toString('utf8', i, i + n)
      i += n
    }
  }
  return out
}

/** True when the name holds an escaped byte (it is not valid UTF-8 on disk). */
export const hasEscapedBytes = (name: string): boolean => /[\udc80-\udcff]/.test(name)

/** The bytes a name stands for; the inverse of `nameFromBytes`. */
export const nameToBytes = (name: string): Buffer => {
  if (!hasEscapedBytes(name)) return Buffer.from(name, 'utf8')
  const parts: Buffer[] = []
  let run = ''
  for (let i = 0; i < name.length; i++) {
    const u = name.charCodeAt(i)
    if (u >= 0xdc80 && u <= 0xdcff) {
      // a lone low surrogate (not the second half of a pair) is an escaped byte
      const prev = i > 0 ? name.charCodeAt(i - 1) : 0
      if (!(prev >= 0xd800 && prev <= 0xdbff)) {
        if (run !== '') parts.push(Buffer.from(run, 'utf8'))
        run = ''
        parts.push(Buffer.from([u - ESC]))
        continue
      }
    }
    run += name[i]
  }
  if (run !== '') parts.push(Buffer.from(run, 'utf8'))
  return Buffer.concat(parts)
}

/** Byte length of a name on disk (what NAME_MAX and PATH_MAX count). */
export const nameByteLength = (name: string): number =>
  hasEscapedBytes(name) ? nameToBytes(name).length : Buffer.byteLength(name, 'utf8')
