/**
 * gunzip (gzip.ts) with the inflate and both digests on the inflate thread: the blob Tap's
 * digester hands each chunk to the thread, the tar comes back inflated ahead of its reader
 * (INFLATE_AHEAD), and the tar Tap's digest is the thread's. Errors, limits and their order
 * are gunzip's.
 */
import { err } from '../errors.js'
import { checkDecompressLimits, type DecompressLimits } from './decompress-limits.js'
import { type InflateJob, openInflateJob } from './inflate-thread.js'
import type { Digester, FailureSlot } from './stream.js'

/** A gzip blob on the thread: the digesters of its two Taps, and its tar given the blob Tap. */
export interface ThreadedGunzip {
  /** for the blob's Tap: hands its chunks to the thread */
  readonly blobDigester: Digester
  /** for the tar's Tap: the thread's digest of what it inflated */
  readonly tarDigester: Digester
  /** the tar, inflated from `blob` (the Tap built with blobDigester) */
  tar(blob: AsyncIterable<Uint8Array>, what: string, slot: FailureSlot): AsyncIterable<Uint8Array>
  /** no more inflating; the blob is still hashed to its end */
  stop(): void
}

const digestOf = async (job: InflateJob, which: 'blob' | 'tar'): Promise<string> => {
  job.end()
  const d = await job.digests
  const hex = d[which]
  if (hex === undefined) throw new Error('the tar was not inflated to its end')
  return hex
}

export const threadedGunzip = (limits: DecompressLimits): ThreadedGunzip => {
  // opened when first used: a stream never read holds no job (which would keep the process alive)
  let opened: InflateJob | undefined
  const open = () => (opened ??= openInflateJob(limits))
  const tar = (blob: AsyncIterable<Uint8Array>, what: string, slot: FailureSlot): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      const job = open()
      let stopped = false
      // reading the blob Tap hands its chunks over; a failure of it reaches the reader in order
      const feed = (async () => {
        try {
          for await (const _ of blob) if (stopped) return
          job.end()
        } catch (error) {
          job.fail(error)
        }
      })()
      let outBytes = 0
      try {
        for (;;) {
          const x = await job.next()
          if (x.kind === 'end') return
          if (x.kind === 'failed') throw x.error
          if (x.kind === 'zlib') throw slot.raise(err('CorruptLayer', { what, reason: `gzip: ${x.message}` }))
          outBytes += x.chunk.byteLength
          checkDecompressLimits(what, slot, limits, x.inBytes, outBytes)
          yield x.chunk
        }
      } finally {
        stopped = true
        job.stop()
        await feed
      }
    },
  })
  return {
    blobDigester: {
      update: (c) => open().write(c),
      digest: () => digestOf(open(), 'blob'),
      close: () => opened?.drop(),
    },
    tarDigester: { update: () => undefined, digest: () => digestOf(open(), 'tar') },
    tar,
    stop: () => opened?.stop(),
  }
}
