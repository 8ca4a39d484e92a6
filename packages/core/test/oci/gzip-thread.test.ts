// gunzip on the inflate thread: the same bytes, digests, errors and limits as gunzip in this thread.
import { gzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { err } from '../../src/errors.js'
import { StorageFailure } from '../../src/failure.js'
import { sha256 } from '../../src/oci/digest.js'
import { DEFAULT_DECOMPRESS_LIMITS, type DecompressLimits } from '../../src/oci/gzip.js'
import { threadedGunzip } from '../../src/oci/gzip-thread.js'
import { openInflateJobs } from '../../src/oci/inflate-thread.js'
import { FailureSlot, Tap, toStorageError } from '../../src/oci/stream.js'

async function* chunks(buf: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.byteLength; i += size) yield buf.subarray(i, i + size)
}

/** The blob's Tap and the tar's, as verifiedLayerStream builds them. */
const taps = (blob: AsyncIterable<Uint8Array>, limits: DecompressLimits = DEFAULT_DECOMPRESS_LIMITS) => {
  const t = threadedGunzip(limits)
  const slot = new FailureSlot()
  const blobTap = new Tap(blob, 'blob', Infinity, undefined, t.blobDigester)
  const tarTap = new Tap(t.tar(blobTap, 'layer 1', slot), 'tar', Infinity, undefined, t.tarDigester)
  return { t, slot, blobTap, tarTap }
}

const readAll = async (s: AsyncIterable<Uint8Array>): Promise<E.Either<unknown, Buffer>> => {
  const out: Uint8Array[] = []
  try {
    for await (const c of s) out.push(c)
    return E.right(Buffer.concat(out))
  } catch (e) {
    return E.left(toStorageError(e, 'test'))
  }
}

describe('threadedGunzip', () => {
  it('gives the bytes gzip held, and the sha256 of the blob and of the tar, however the blob is cut', async () => {
    // property: for any bytes and chunk size, tar = the bytes; digests = sha256 of blob and tar
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300_000 }), fc.integer({ min: 1, max: 70_000 }), async (b, n) => {
        const gz = gzipSync(b)
        const { blobTap, tarTap } = taps(chunks(gz, n))
        expect(await readAll(tarTap)).toEqual(E.right(Buffer.from(b)))
        expect(await tarTap.finish()()).toEqual(E.right({ digest: sha256(b), bytes: b.byteLength }))
        expect(await blobTap.finish()()).toEqual(E.right({ digest: sha256(gz), bytes: gz.byteLength }))
      }),
      { numRuns: 25 },
    )
  })

  const gz = gzipSync(Buffer.from('hello '.repeat(5000)))
  it.each([
    ['truncated', gz.subarray(0, gz.length - 10)],
    ['trailing garbage', Buffer.concat([gz, Buffer.from('garbage')])],
    ['random bytes', Buffer.from('this is not gzip at all, not even close')],
  ])('%s is CorruptLayer in the slot, and the whole blob is still hashed', async (_name, bytes) => {
    const { slot, blobTap, tarTap } = taps(chunks(bytes, 7))
    expect(await readAll(tarTap)).toMatchObject(E.left({ _tag: 'CorruptLayer', what: 'layer 1' }))
    expect(slot.error).toMatchObject({ _tag: 'CorruptLayer', what: 'layer 1' })
    expect(await blobTap.finish()()).toEqual(E.right({ digest: sha256(bytes), bytes: bytes.byteLength }))
  })

  it('stops a small gzip expanding past maxBytes, and the ratio limit once past its floor', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024))
    const max = { maxBytes: 1024 * 1024, maxRatio: 1e9, ratioFloor: 0 }
    let out = 0
    const { blobTap, tarTap } = taps(chunks(bomb, 1024), max)
    const r = await (async () => {
      try {
        for await (const c of tarTap) out += c.byteLength
        return 'done'
      } catch (e) {
        return toStorageError(e, 'x')
      }
    })()
    expect(r).toMatchObject({ _tag: 'LimitExceeded', limit: 1024 * 1024 })
    expect(out).toBeLessThanOrEqual(1024 * 1024)
    await blobTap.close()
    const ratio = taps(chunks(bomb, 4096), { maxBytes: 1e12, maxRatio: 100, ratioFloor: 1024 * 1024 })
    expect(await readAll(ratio.tarTap)).toMatchObject(E.left({ _tag: 'LimitExceeded', limit: 100 }))
    await ratio.blobTap.close()
  })

  it("gives the reader the blob source's failure, after the bytes before it", async () => {
    const broken = err('Io', { code: 'EIO', path: 'blob', message: 'cut' })
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield* chunks(gz.subarray(0, 100), 10)
      throw new StorageFailure(broken)
    }
    const { blobTap, tarTap } = taps(failing())
    expect(await readAll(tarTap)).toEqual(E.left(broken))
    expect(blobTap.failure).toEqual(broken)
    await blobTap.close()
  })

  it('after stop the rest of the blob is only hashed: the blob digest is whole, the tar has none', async () => {
    const big = gzipSync(Buffer.from('layer '.repeat(1_000_000)))
    const { t, blobTap, tarTap } = taps(chunks(big, 4096))
    for await (const _ of tarTap) break
    await tarTap.close()
    t.stop()
    expect(await blobTap.finish()()).toEqual(E.right({ digest: sha256(big), bytes: big.byteLength }))
    expect(E.isLeft(await tarTap.finish()())).toBe(true)
  })

  it('holds a job on the thread only while a stream is read: none before, none after it ends, fails or is abandoned', async () => {
    // a job left open would keep the process alive after its work
    taps(chunks(gz))
    expect(openInflateJobs()).toBe(0)
    const done = taps(chunks(gz))
    await readAll(done.tarTap)
    await done.blobTap.finish()()
    const broken = taps(chunks(Buffer.from('not gzip')))
    await readAll(broken.tarTap)
    await broken.blobTap.finish()()
    const left = taps(chunks(gz, 10))
    for await (const _ of left.tarTap) break
    await left.tarTap.close()
    await left.blobTap.close()
    expect(openInflateJobs()).toBe(0)
  })
})
