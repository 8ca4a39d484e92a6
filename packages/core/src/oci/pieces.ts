/**
 * A byte stream cut into pieces of exactly `size` bytes, the last one shorter (none for an empty
 * stream): zstd frames and chunked uploads. A piece is copied only when it spans chunks.
 */
export async function* pieces(source: AsyncIterable<Uint8Array>, size: number): AsyncGenerator<Uint8Array> {
  let held: Uint8Array[] = []
  let n = 0
  const piece = (): Uint8Array => (held.length === 1 ? held[0]! : Buffer.concat(held, n))
  for await (const chunk of source) {
    let c = chunk
    while (n + c.byteLength >= size) {
      const take = size - n
      held.push(c.subarray(0, take))
      n = size
      yield piece()
      c = c.subarray(take)
      held = []
      n = 0
    }
    if (c.byteLength > 0) {
      held.push(c)
      n += c.byteLength
    }
  }
  if (n > 0) yield piece()
}
