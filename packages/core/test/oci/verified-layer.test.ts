// The verified layer stream: finish() gives the tar's diffID, or the failure that explains the others,
// whether gzip is inflated in this thread or on the inflate thread.
import { gzipSync } from 'node:zlib'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { asDiffId, sha256 } from '../../src/oci/digest.js'
import { DEFAULT_DECOMPRESS_LIMITS } from '../../src/oci/gzip.js'
import { verifiedLayerStream } from '../../src/oci/verified-layer.js'
import { openInflateJobs } from '../../src/oci/inflate-thread.js'
import { err } from '../../src/errors.js'

const GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip'
const TAR = 'application/vnd.oci.image.layer.v1.tar'

async function* chunks(buf: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.byteLength; i += size) yield buf.subarray(i, i + size)
}

const tar = Buffer.alloc(5000, 3)
const gz = gzipSync(tar)

describe.each([
  ['in this thread', Infinity],
  ['on the inflate thread', 0],
])('verifiedLayerStream, gzip inflated %s', (_, inflateThreadFrom) => {
  const opts = { limits: DEFAULT_DECOMPRESS_LIMITS, inflateThreadFrom }
  // finish, whatever it gives, leaves no job on the inflate thread
  afterEach(() => expect(openInflateJobs()).toBe(0))
  const open = (blob: Uint8Array, expected: Parameters<typeof verifiedLayerStream>[1]) => {
    const v = verifiedLayerStream(chunks(blob), expected, opts)
    if (E.isLeft(v)) throw new Error('expected a stream')
    return v.right
  }

  it('gives the diffID of the whole tar even when the consumer stopped early, and counts every blob byte', async () => {
    let bytes = 0
    const v = verifiedLayerStream(
      chunks(gz),
      { mediaType: GZIP, digest: sha256(gz), size: gz.byteLength },
      {
        ...opts,
        onBytes: (n) => {
          bytes += n
        },
      },
    )
    if (E.isLeft(v)) throw new Error('expected a stream')
    for await (const _ of v.right.tar) break
    expect(await v.right.finish(E.right(undefined))()).toEqual(E.right(asDiffId(sha256(tar))))
    expect(bytes).toBe(gz.byteLength)
  })

  it('reports a blob that is not the one named before the gzip error it caused', async () => {
    const broken = Buffer.concat([gz.subarray(0, 20), Buffer.alloc(50, 9)])
    const v = open(broken, { mediaType: GZIP, digest: sha256(gz) })
    let consumed: E.Either<unknown, unknown> = E.right(undefined)
    try {
      for await (const _ of v.tar) {
        /* read */
      }
    } catch (u) {
      consumed = E.left(u)
    }
    expect(E.isLeft(consumed)).toBe(true)
    const r = await v.finish(E.left(err('CorruptLayer', { what: 'tar', reason: 'consumer saw junk' })))()
    expect(r).toMatchObject(E.left({ _tag: 'DigestMismatch', expected: sha256(gz), actual: sha256(broken) }))
  })

  it('reports the failure raised inside the stream before what the consumer made of it', async () => {
    const broken = Buffer.concat([gz.subarray(0, 20), Buffer.alloc(50, 9)])
    const v = open(broken, { mediaType: GZIP })
    try {
      for await (const _ of v.tar) {
        /* read */
      }
    } catch {
      /* the consumer turns it into its own error */
    }
    const r = await v.finish(E.left(err('CorruptLayer', { what: 'tar', reason: 'consumer saw junk' })))()
    expect(r).toMatchObject(E.left({ _tag: 'CorruptLayer' }))
    expect(E.isLeft(r) && r.left._tag === 'CorruptLayer' && r.left.reason).not.toBe('consumer saw junk')
  })

  it('checks the size, then the diffID, after the blob digest', async () => {
    expect(await open(tar, { mediaType: TAR, size: 10 }).finish(E.right(undefined))()).toMatchObject(
      E.left({ _tag: 'LimitExceeded' }),
    )
    expect(await open(tar, { mediaType: TAR, size: 6000 }).finish(E.right(undefined))()).toMatchObject(
      E.left({ _tag: 'CorruptLayer', reason: 'blob is 5000 bytes, descriptor says 6000' }),
    )
    const other = asDiffId(sha256('other'))
    expect(await open(tar, { mediaType: TAR, diffId: other }).finish(E.right(undefined))()).toMatchObject(
      E.left({ _tag: 'DigestMismatch', expected: other, actual: sha256(tar) }),
    )
  })

  it('refuses a media type that is not a layer', () => {
    expect(verifiedLayerStream(chunks(tar), { mediaType: 'text/plain' }, opts)).toMatchObject(E.left({}))
  })
})
