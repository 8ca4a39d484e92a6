/**
 * Blobs downloaded ahead of their turn: reading layer `i` also starts the next layer the
 * extract will read, so at most two downloads run at once, each buffered up to its read-ahead
 * bound. A blob the extract never reads (it failed first) is stopped by `close`.
 */
type Open = (i: number) => AsyncIterable<Uint8Array>

/** `source`, started now: its first chunk is requested at once (its failure waits for the reader). */
const started = (
  source: AsyncIterable<Uint8Array>,
): AsyncIterator<Uint8Array> & { first: Promise<IteratorResult<Uint8Array>> } => {
  const it = source[Symbol.asyncIterator]()
  const first = it.next()
  first.catch(() => undefined)
  return Object.assign(it, { first })
}

export const downloadsAhead = (open: Open) => {
  let plan: readonly number[] = []
  const waiting = new Map<number, ReturnType<typeof started>>()
  /** `i`'s blob, downloaded (or taken from those started ahead) when first read; that starts the next in the plan */
  const reading = (i: number): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      const it = waiting.get(i) ?? started(open(i))
      waiting.delete(i)
      const at = plan.indexOf(i)
      const next = at < 0 ? undefined : plan[at + 1]
      if (next !== undefined && !waiting.has(next)) waiting.set(next, started(open(next)))
      try {
        let r = await it.first
        while (r.done !== true) {
          yield r.value
          r = await it.next()
        }
      } finally {
        await it.return?.()
      }
    },
  })
  return {
    willRead: (indexes: readonly number[]): void => {
      plan = indexes
    },
    open: reading,
    close: async (): Promise<void> => {
      const left = [...waiting.values()]
      waiting.clear()
      await Promise.all(left.map((it) => it.first.then(() => it.return?.()).catch(() => undefined)))
    },
  }
}
