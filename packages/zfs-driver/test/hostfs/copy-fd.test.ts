// copyFd: the kernel copies (copy_file_range) where the binding loads; the buffer copies what it refuses, and the bytes are the same either way.
import { randomBytes } from 'node:crypto'
import {
  closeSync,
  constants as fsc,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { constants, tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { copyFd, type WriteAll } from '../../src/hostfs/copy-fd.js'
import { libcCalls, pathCalls } from '../../src/hostfs/host-calls.js'
import { type Libc, libc } from '../../src/hostfs/libc.js'

const { EXDEV, ENOSYS, EINVAL, EBADF, EOPNOTSUPP, EIO } = constants.errno
const real = libc()
const SIZE = 3 * (1 << 20) + 5
let dir: string
let data: Buffer

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-copy-fd-'))
  data = randomBytes(SIZE)
  writeFileSync(join(dir, 'src'), data)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** copyFd from `src` into a new file `dst` (or `flags` on an existing one) through `c`. */
const copyWith = (
  c: Libc | undefined,
  dst = join(dir, 'dst'),
  flags = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL,
  writeAll: WriteAll = (real === undefined ? pathCalls : libcCalls(real)).writeAll,
) => {
  const from = openSync(join(dir, 'src'), 'r')
  const to = openSync(dst, flags, 0o600)
  try {
    copyFd(from, to, SIZE, c, writeAll)
  } finally {
    closeSync(from)
    closeSync(to)
  }
  return readFileSync(dst)
}

/** A binding whose copy_file_range answers with `answer(call number)`: bytes copied (through the real one), 0, or -errno. */
const scripted = (answer: (n: number, args: unknown[]) => number): Libc => {
  let err = 0
  let n = 0
  return {
    copy_file_range: (...args: unknown[]) => {
      const r = answer(n++, args)
      if (r >= 0) return r
      err = -r
      return -1
    },
    errno: () => err,
  } as unknown as Libc
}

describe.runIf(real !== undefined)('through copy_file_range', () => {
  it('copies every byte in the kernel, calling until it reports the end', () => {
    let calls = 0
    const spy = { ...real!, copy_file_range: (...a: unknown[]) => (calls++, real!.copy_file_range(...a)) }
    expect(copyWith(spy).equals(data)).toBe(true)
    expect(calls).toBeGreaterThanOrEqual(2)
  })

  it('an O_APPEND target (EBADF) goes through the buffer, after the bytes already there', () => {
    writeFileSync(join(dir, 'dst'), 'old')
    const got = copyWith(real, join(dir, 'dst'), fsc.O_WRONLY | fsc.O_APPEND)
    expect(got.equals(Buffer.concat([Buffer.from('old'), data]))).toBe(true)
  })

  it.runIf(
    statSync('/dev/shm', { throwIfNoEntry: false })?.dev !== undefined &&
      statSync('/dev/shm').dev !== statSync(tmpdir()).dev,
  )('a target on another file system is copied (EXDEV or a cross-file-system copy)', () => {
    const other = mkdtempSync('/dev/shm/stratum-copy-fd-')
    try {
      expect(copyWith(real, join(other, 'dst')).equals(data)).toBe(true)
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })

  it('a refusal after part was copied: the buffer copies the rest from the offsets reached', () => {
    const c = scripted((n, a) => (n === 0 ? real!.copy_file_range(a[0], a[1], a[2], a[3], 1000, 0) : -EXDEV))
    expect(copyWith(c).equals(data)).toBe(true)
  })

  it('an end reported before the size (a file that shrank, a size the file system does not tell): the buffer reads on', () => {
    const c = scripted((n, a) => (n === 0 ? real!.copy_file_range(a[0], a[1], a[2], a[3], 4096, 0) : 0))
    expect(copyWith(c).equals(data)).toBe(true)
  })
})

describe('without the kernel copy', () => {
  it('no binding: through the buffer', () => {
    expect(copyWith(undefined).equals(data)).toBe(true)
  })

  it("the buffer's bytes go out through the writer it is given (the tree's writeAll)", () => {
    let written = 0
    const counted: WriteAll = (fd, bytes) => {
      written += bytes.length
      pathCalls.writeAll(fd, bytes)
    }
    expect(copyWith(undefined, join(dir, 'dst'), undefined, counted).equals(data)).toBe(true)
    expect(written).toBe(SIZE)
  })

  it.each([
    ['EXDEV', EXDEV],
    ['ENOSYS', ENOSYS],
    ['EINVAL', EINVAL],
    ['EBADF', EBADF],
    ['EOPNOTSUPP', EOPNOTSUPP],
  ])('refused with %s: through the buffer', (_, e) => {
    expect(copyWith(scripted(() => -e!)).equals(data)).toBe(true)
  })

  it('another failure (EIO) is thrown with its code, not hidden by the buffer', () => {
    expect(() => copyWith(scripted(() => -EIO!))).toThrow(expect.objectContaining({ code: 'EIO' }))
  })
})
