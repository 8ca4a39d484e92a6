/**
 * Walks the frame and block headers of a zstd stream as it passes (RFC 8878), skipping block
 * contents, so that a frame asking for a window over the limit is refused before the decoder
 * allocates it. Frames may follow one another; skippable frames are passed over.
 */
const MAGIC = 0xfd2fb528
const SKIPPABLE = 0x184d2a50

/** What the walker found wrong: a header that is not zstd, or a window over the limit. */
export type FrameProblem =
  | { readonly kind: 'corrupt'; readonly reason: string }
  | { readonly kind: 'window'; readonly bytes: number }

type State = 'magic' | 'skippable' | 'descriptor' | 'header' | 'block'

const le = (b: readonly number[], from: number, n: number): number => {
  let v = 0
  for (let k = n - 1; k >= 0; k--) v = v * 256 + (b[from + k] ?? 0)
  return v
}

const DICT_ID_BYTES = [0, 1, 2, 4] as const

export class ZstdFrameWalker {
  private state: State = 'magic'
  private need = 4
  private have: number[] = []
  private skip = 0
  private checksum = false

  constructor(private readonly maxWindow: number) {}

  /** Reads `chunk`'s headers; the first problem found, if any. */
  scan(chunk: Uint8Array): FrameProblem | undefined {
    let i = 0
    while (i < chunk.length) {
      if (this.skip > 0) {
        const n = Math.min(this.skip, chunk.length - i)
        this.skip -= n
        i += n
        continue
      }
      while (this.have.length < this.need && i < chunk.length) this.have.push(chunk[i++]!)
      if (this.have.length < this.need) return undefined
      const p = this.step(this.have)
      if (p !== undefined) return p
    }
    return undefined
  }

  private next(state: State, need: number, keep: number[] = []): undefined {
    this.state = state
    this.need = need
    this.have = keep
    return undefined
  }

  private step(h: number[]): FrameProblem | undefined {
    switch (this.state) {
      case 'magic': {
        const m = le(h, 0, 4)
        if (m === MAGIC) return this.next('descriptor', 1)
        if (m - (m % 16) === SKIPPABLE) return this.next('skippable', 4)
        return { kind: 'corrupt', reason: `not a zstd frame (magic 0x${m.toString(16).padStart(8, '0')})` }
      }
      case 'skippable':
        this.skip = le(h, 0, 4)
        return this.next('magic', 4)
      case 'descriptor': {
        const f = h[0]!
        if ((f & 8) !== 0) return { kind: 'corrupt', reason: 'a frame header sets its reserved bit' }
        const single = (f >> 5) & 1
        const fcf = f >> 6
        const rest = (single ? 0 : 1) + DICT_ID_BYTES[f & 3]! + (fcf ? 1 << fcf : single)
        return this.next('header', 1 + rest, h)
      }
      case 'header': {
        const f = h[0]!
        const fcf = f >> 6
        let window: number
        if ((f >> 5) & 1) {
          const at = 1 + DICT_ID_BYTES[f & 3]!
          window = le(h, at, fcf ? 1 << fcf : 1) + (fcf === 1 ? 256 : 0)
        } else {
          const w = h[1]!
          const base = 2 ** (10 + (w >> 3))
          window = base + (base / 8) * (w & 7)
        }
        if (window > this.maxWindow) return { kind: 'window', bytes: window }
        this.checksum = ((f >> 2) & 1) === 1
        return this.next('block', 3)
      }
      case 'block': {
        const b = le(h, 0, 3)
        const type = (b >> 1) & 3
        if (type === 3) return { kind: 'corrupt', reason: 'a block has the reserved type' }
        this.skip = type === 1 ? 1 : b >>> 3
        if ((b & 1) === 0) return this.next('block', 3)
        this.skip += this.checksum ? 4 : 0
        return this.next('magic', 4)
      }
    }
  }
}
