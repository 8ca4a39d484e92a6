/**
 * Reads an uncompressed tar as GNU tar does, pulling from the input only as fast as entries
 * are consumed: headers block by block, extended headers (PAX `x` and `g`, GNU `L` and `K`)
 * folded into the entry they describe, each entry's data as a stream of exactly its size.
 * Reading stops at the end-of-archive marker (two zero blocks, or the end of the input after
 * an entry); what follows it is never read as entries. Every malformed input ends the read
 * with `CorruptLayer` naming the entry (or the last entry before a bad header); a failure of
 * the input itself passes through.
 */
import * as E from 'fp-ts/lib/Either.js'
import { nameFromBytes } from '../byte-names.js'
import { err, type StorageError } from '../errors.js'
import { ByteReader } from './byte-reader.js'
import { fail } from './run.js'
import { BLOCK_SIZE, decodeBlock, isZeroBlock } from './tar-block.js'
import { decodeEntry, type TarHeader } from './tar-entry.js'
import { MAX_META_BYTES, MetaState } from './tar-meta.js'

export interface RawEntry {
  readonly header: TarHeader
  /** the entry's data (file content), exactly `header.size` bytes; read it or not, the reader skips what is left */
  readonly body: AsyncIterable<Uint8Array>
  /** the whole data at once (a view of an input chunk), when the reader already holds all of it and none of `body` was read; then `body` is empty */
  readonly whole: () => Uint8Array | undefined
  /** the whole data in one buffer (read on, copied where it spans input chunks), when none of `body` was read; then `body` is empty */
  readonly gather: () => Promise<Uint8Array>
}

const padOf = (n: number): number => (BLOCK_SIZE - (n % BLOCK_SIZE)) % BLOCK_SIZE

export async function* readTar(input: AsyncIterable<Uint8Array>): AsyncGenerator<RawEntry, void, undefined> {
  const r = new ByteReader(input)
  const meta = new MetaState()
  let last: string | undefined
  /** a failure of the entry named, or without one, of the header after the last entry */
  const corrupt = (reason: string, entry?: string): never =>
    fail(
      err('CorruptLayer', {
        what: 'layer tar',
        reason: entry === undefined && last !== undefined ? `${reason} (in the header after entry '${last}')` : reason,
        ...((entry ?? last) === undefined ? {} : { entry: entry ?? last }),
      }),
    )
  const must = <A>(e: E.Either<StorageError, A>): A => (E.isLeft(e) ? fail(e.left) : e.right)
  const skipData = async (n: number, entry: string | undefined): Promise<void> => {
    if ((await r.skip(n)) !== n) corrupt(`the archive ends inside an entry's data (byte ${r.offset})`, entry)
  }
  /** skips the `left` unread bytes of `size` bytes of data, and the padding after them: at once when buffered */
  const skipRest = (left: number, size: number, entry: string | undefined): Promise<void> | undefined => {
    const n = left + padOf(size)
    return n === 0 || r.buffered(n) !== undefined ? undefined : skipData(n, entry)
  }
  try {
    for (;;) {
      const at = r.offset
      // a view when the reader holds the block (the common case: no promise), decoded before the next read
      const block = r.buffered(BLOCK_SIZE) ?? (await r.read(BLOCK_SIZE))
      if (block.length === 0 || isZeroBlock(block)) {
        const next = block.length === 0 ? block : await r.read(BLOCK_SIZE)
        if (next.length !== 0 && !isZeroBlock(next)) corrupt(`a lone zero block at byte ${at}`)
        if (meta.pending) corrupt(`the archive ends after an extended header, before its entry (byte ${at})`)
        return
      }
      if (block.length < BLOCK_SIZE) corrupt(`the archive ends inside a header (byte ${at})`)
      const h = decodeBlock(block)
      if (E.isLeft(h))
        return corrupt(
          `${h.left.reason} at byte ${at}`,
          h.left.name === undefined ? undefined : nameFromBytes(h.left.name),
        )
      const flag = String.fromCharCode(h.right.typeflag)
      if (flag === 'x' || flag === 'g' || flag === 'L' || flag === 'K') {
        const size = h.right.size
        if (size > MAX_META_BYTES)
          fail(
            err('LimitExceeded', {
              what: 'extended header bytes',
              limit: MAX_META_BYTES,
              entry: `(header at byte ${at})`,
            }),
          )
        const data = await r.read(size)
        if (data.length < size || (await r.skip(padOf(size))) !== padOf(size))
          corrupt(`the archive ends inside the extended header at byte ${at}`)
        if (flag === 'L' || flag === 'K') meta.addLong(data, flag === 'K')
        else meta.addPax(data, flag === 'g')
        continue
      }
      if (flag === 'V') {
        // a GNU volume label: not a file (GNU tar extracts nothing for it)
        meta.take()
        await skipRest(h.right.size, h.right.size, undefined)
        continue
      }
      const { header, dataSize } = must(decodeEntry(h.right, meta.take()))
      last = header.name
      let consumed = 0
      const body = async function* (): AsyncGenerator<Uint8Array> {
        while (consumed < dataSize) {
          const part = await r.chunk(dataSize - consumed)
          if (part === undefined) return corrupt("the archive ends inside the entry's data", header.name)
          consumed += part.length
          yield part
        }
      }
      const whole = (): Uint8Array | undefined => {
        const all = consumed === 0 ? r.buffered(dataSize) : undefined
        if (all !== undefined) consumed = dataSize
        return all
      }
      const gather = async (): Promise<Uint8Array> => {
        const all = whole() ?? (consumed === 0 ? await r.read(dataSize) : undefined)
        if (all === undefined)
          return fail(err('Unsupported', { what: "gathering an entry's data after part of it was read" }))
        consumed = all.length
        if (all.length < dataSize) corrupt("the archive ends inside the entry's data", header.name)
        return all
      }
      // the generator made only if the body is read: most entries are taken whole
      yield { header, body: { [Symbol.asyncIterator]: () => body() }, whole, gather }
      const skipping = skipRest(dataSize - consumed, dataSize, header.name)
      if (skipping !== undefined) await skipping
    }
  } finally {
    await r.close()
  }
}
