/**
 * Streams an uncompressed tar through tar-stream's extract, with backpressure, yielding
 * each entry's raw header and its body. Parse failures (truncation, bad checksum, bytes
 * that are not a tar) abort with `CorruptLayer` naming the last entry seen; a failure of
 * the input stream itself passes through when it carries a StorageError. Each entry comes
 * with the raw bytes of its PAX headers (pax-capture.ts), for the byte-exact xattr values.
 */
import { extract } from 'tar-stream'
import { err } from '../errors.js'
import { captureRawPax } from './pax-capture.js'
import { carried, fail } from './run.js'

export interface RawEntry {
  /** the header as tar-stream decoded it: untrusted, checked by `decodeHeader` */
  readonly header: unknown
  /** the raw data of the PAX headers that preceded this entry (a global one first); empty when none */
  readonly pax: readonly Uint8Array[]
  readonly body: AsyncIterable<Uint8Array>
}

const messageOf = (u: unknown): string => (u instanceof Error ? u.message : String(u))

export async function* readTar(input: AsyncIterable<Uint8Array>): AsyncGenerator<RawEntry, void, undefined> {
  const ex = extract()
  const rawPaxOf = captureRawPax(ex)
  let inputError: { readonly cause: unknown } | undefined
  let wake: (() => void) | undefined
  const release = (): void => {
    const w = wake
    wake = undefined
    w?.()
  }
  ex.on('drain', release)
  ex.on('close', release)
  const pump = async (): Promise<void> => {
    try {
      for await (const chunk of input) {
        if (ex.destroyed || ex.destroying) return
        if (!ex.write(chunk)) await new Promise<void>((r) => { wake = r })
      }
      if (!ex.destroyed && !ex.destroying) ex.end(undefined)
    } catch (u) {
      inputError = { cause: u }
      ex.destroy(u instanceof Error ? u : new Error(messageOf(u)))
    }
  }
  const pumping = pump()
  let last: string | undefined
  const corrupt = (u: unknown): never =>
    inputError !== undefined
      ? fail(carried(inputError.cause) ?? err('CorruptLayer', { what: 'layer stream', reason: messageOf(inputError.cause) }))
      : fail(err('CorruptLayer', {
        what: 'layer tar',
        reason: last === undefined ? messageOf(u) : `${messageOf(u)} (in the header after entry '${last}')`,
        ...(last === undefined ? {} : { entry: last }),
      }))
  const it = ex[Symbol.asyncIterator]()
  try {
    for (;;) {
      let next: IteratorResult<unknown>
      try {
        next = await it.next()
      } catch (u) {
        return corrupt(u)
      }
      if (next.done === true) break
      const source = next.value as { header: { name?: unknown; pax?: unknown } } & AsyncIterable<Uint8Array>
      last = typeof source.header.name === 'string' ? source.header.name : undefined
      const decoded = source.header.pax
      const pax = decoded === null || decoded === undefined ? [] : rawPaxOf(decoded)
      if (pax === undefined) throw new Error(`tar-stream gave entry '${String(last)}' PAX records without their raw bytes`)
      const entryName = last
      const body = async function* (): AsyncGenerator<Uint8Array> {
        try {
          for await (const chunk of source) yield chunk
        } catch (u) {
          fail(inputError !== undefined
            ? carried(inputError.cause) ?? err('CorruptLayer', { what: 'layer stream', reason: messageOf(inputError.cause) })
            : err('CorruptLayer', { what: 'layer tar', reason: `entry data: ${messageOf(u)}`, ...(entryName === undefined ? {} : { entry: entryName }) }))
        }
      }
      yield { header: source.header, pax, body: body() }
    }
  } finally {
    await it.return?.()
    release()
    await pumping
  }
}
