/**
 * Exact reads over a stream of chunks: the tar reader asks for whole blocks and for an
 * entry's data as chunks of a known total, and never more than it asked for. A failure of
 * the input (a thrown StorageError passes through, anything else is CorruptLayer) and a chunk
 * that is not bytes abort the surrounding `runSteps` with a StorageError.
 */
import { err, type StorageError } from '../errors.js'
import { carried, fail } from './run.js'

const streamError = (u: unknown): StorageError =>
  carried(u) ?? err('CorruptLayer', { what: 'layer stream', reason: u instanceof Error ? u.message : String(u) })

export class ByteReader {
  private readonly it: AsyncIterator<unknown>
  private buf: Uint8Array = new Uint8Array(0)
  private ended = false
  /** bytes handed out so far (the offset of the next byte) */
  offset = 0

  constructor(input: AsyncIterable<Uint8Array>) {
    this.it = input[Symbol.asyncIterator]()
  }

  /** Refills the buffer when empty; false at the end of the input. */
  private async fill(): Promise<boolean> {
    while (this.buf.length === 0) {
      if (this.ended) return false
      let r: IteratorResult<unknown>
      try {
        r = await this.it.next()
      } catch (u) {
        return fail(streamError(u))
      }
      if (r.done === true) {
        this.ended = true
        return false
      }
      if (!(r.value instanceof Uint8Array))
        return fail(err('CorruptLayer', { what: 'layer stream', reason: 'a chunk of the stream is not bytes' }))
      // a plain view: a Buffer's subarray and slice cost a species lookup each, and the reader makes several per entry
      const v = r.value
      this.buf = v.constructor === Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength)
    }
    return true
  }

  private take(n: number): Uint8Array {
    const out = this.buf.subarray(0, n)
    this.buf = this.buf.subarray(out.length)
    this.offset += out.length
    return out
  }

  /** Exactly `n` bytes, or fewer when the input ends first. */
  async read(n: number): Promise<Uint8Array> {
    if (this.buf.length >= n) return this.take(n).slice()
    const out = new Uint8Array(n)
    let at = 0
    while (at < n && (await this.fill())) {
      const part = this.take(n - at)
      out.set(part, at)
      at += part.length
    }
    return at === n ? out : out.subarray(0, at)
  }

  /** Exactly `n` bytes when the buffer already holds them (a view of an input chunk, consumed); otherwise undefined and nothing read. */
  buffered(n: number): Uint8Array | undefined {
    return this.buf.length >= n ? this.take(n) : undefined
  }

  /** The next bytes available, at most `max` (a view of an input chunk); undefined at the end of the input. */
  async chunk(max: number): Promise<Uint8Array | undefined> {
    return (await this.fill()) ? this.take(max) : undefined
  }

  /** Skips `n` bytes; gives how many there were. */
  async skip(n: number): Promise<number> {
    let left = n
    while (left > 0 && (await this.fill())) left -= this.take(Math.min(left, this.buf.length)).length
    return n - left
  }

  /** Stops reading: the input is told it will not be read further. */
  async close(): Promise<void> {
    this.ended = true
    this.buf = new Uint8Array(0)
    try {
      await this.it.return?.()
    } catch {
      /* the input's own cleanup failing changes nothing we read */
    }
  }
}
