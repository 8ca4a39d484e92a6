import { gzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { sha256 } from '../../src/oci/digest.js'
import { gunzip } from '../../src/oci/gzip.js'
import { FailureSlot, Tap, toStorageError, verifyDigest } from '../../src/oci/stream.js'

async function* chunks(buf: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.byteLength; i += size) yield buf.subarray(i, i + size)
}

const collect = async (s: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const out: Uint8Array[] = []
  for await (const c of s) out.push(c)
  return Buffer.concat(out)
}

const readAll = async (s: AsyncIterable<Uint8Array>): Promise<E.Either<unknown, Buffer>> => {
  try {
    return E.right(await collect(s))
  } catch (e) {
    return E.left(toStorageError(e, 'test'))
  }
}

describe('Tap', () => {
  it('hashes everything, including what the consumer left unread', async () => {
    const data = Buffer.alloc(10_000, 7)
    const tap = new Tap(chunks(data), 'blob')
    for await (const _ of tap) break // consumer stops after one chunk
    const f = await tap.finish()()
    expect(f).toEqual(E.right({ digest: sha256(data), bytes: 10_000 }))
  })

  it('a wrong expected digest is DigestMismatch naming what, expected and actual', async () => {
    const data = Buffer.from('layer bytes')
    const expected = sha256('something else')
    const r = await verifyDigest('layer x', expected)({ digest: sha256(data), bytes: data.length })()
    expect(r).toEqual(E.left({ _tag: 'DigestMismatch', what: 'layer x', expected, actual: sha256(data) }))
  })
})

describe('gunzip', () => {
  const plain = Buffer.from('hello '.repeat(5000))
  const gz = gzipSync(plain)

  it('decompresses in chunks', async () => {
    expect(await readAll(gunzip(chunks(gz, 100), 'l', new FailureSlot()))).toEqual(E.right(plain))
  })

  it('concatenated members are one stream', async () => {
    const r = await readAll(gunzip(chunks(Buffer.concat([gz, gz])), 'l', new FailureSlot()))
    expect(r).toEqual(E.right(Buffer.concat([plain, plain])))
  })

  it.each([
    ['truncated', gz.subarray(0, gz.length - 10)],
    ['trailing garbage', Buffer.concat([gz, Buffer.from('garbage')])],
    ['random bytes', Buffer.from('this is not gzip at all, not even close')],
  ])('%s is CorruptLayer, recorded in the slot', async (_name, bytes) => {
    const slot = new FailureSlot()
    const r = await readAll(gunzip(chunks(bytes), 'layer 1', slot))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CorruptLayer', what: 'layer 1' } })
    expect(slot.error).toMatchObject({ _tag: 'CorruptLayer', what: 'layer 1' })
  })

  it('a small gzip expanding past maxBytes is stopped while streaming', async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024)) // ~64 KiB expanding to 64 MiB
    let read = 0
    async function* counting(): AsyncGenerator<Uint8Array> {
      for await (const c of chunks(bomb, 1024)) {
        read += c.byteLength
        yield c
      }
    }
    let out = 0
    const slot = new FailureSlot()
    const limits = { maxBytes: 1024 * 1024, maxRatio: 1e9, ratioFloor: 0 }
    const r = await (async () => {
      try {
        for await (const c of gunzip(counting(), 'bomb', slot, limits)) out += c.byteLength
        return 'done'
      } catch (e) {
        return toStorageError(e, 'x')
      }
    })()
    expect(r).toMatchObject({ _tag: 'LimitExceeded', limit: 1024 * 1024 })
    expect(out).toBeLessThanOrEqual(1024 * 1024)
    expect(read).toBeLessThan(bomb.byteLength / 2) // input buffering reads ahead a little, not to the end
  })

  it('the ratio limit applies once past its floor', async () => {
    const bomb = gzipSync(Buffer.alloc(8 * 1024 * 1024))
    const limits = { maxBytes: 1e12, maxRatio: 100, ratioFloor: 1024 * 1024 }
    const r = await readAll(gunzip(chunks(bomb, 4096), 'bomb', new FailureSlot(), limits))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'LimitExceeded', limit: 100 } })
    const ok = await readAll(
      gunzip(chunks(bomb, 4096), 'bomb', new FailureSlot(), { ...limits, ratioFloor: 16 * 1024 * 1024 }),
    )
    expect(E.isRight(ok)).toBe(true)
  })
})
