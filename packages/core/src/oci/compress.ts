/**
 * Streaming layer compression for writing images and packages. gzip is zlib's default level
 * with no name and no mtime in the header, so the same tar always gives the same blob bytes
 * (zlib's output does not depend on how the input is chunked); zstd is zstd-encode.ts's, as
 * reproducible.
 */
import { Readable } from 'node:stream'
import { createGzip } from 'node:zlib'
import type { Compression } from './media.js'
import { MEDIA_LAYER_GZIP, MEDIA_LAYER_TAR, MEDIA_LAYER_ZSTD } from './media.js'
import { zstdStream } from './zstd-encode.js'

/** The OCI layer media type for a blob of `compression`. */
export const layerMediaType = (compression: Compression): string =>
  compression === 'gzip' ? MEDIA_LAYER_GZIP : compression === 'zstd' ? MEDIA_LAYER_ZSTD : MEDIA_LAYER_TAR

/** `source` compressed as it streams ('none' passes it through). */
export const compressStream = (
  source: AsyncIterable<Uint8Array>,
  compression: Compression,
): AsyncIterable<Uint8Array> =>
  compression === 'none'
    ? source
    : compression === 'zstd'
      ? zstdStream(source)
      : {
          async *[Symbol.asyncIterator]() {
            const input = Readable.from(source, { objectMode: false })
            const z = createGzip({ chunkSize: 128 * 1024 })
            input.on('error', (e) => z.destroy(e))
            input.pipe(z)
            try {
              for await (const c of z as AsyncIterable<Buffer>)
                yield new Uint8Array(c.buffer, c.byteOffset, c.byteLength)
            } finally {
              input.destroy()
              z.destroy()
            }
          },
        }
