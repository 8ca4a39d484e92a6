/**
 * Progress bars (cli-progress) for byte streams and entry counts. A bar is drawn only when the
 * command was given a terminal to draw on and --json is off; otherwise `Progress` counts silently.
 */
import { Presets, SingleBar } from 'cli-progress'
import { onInterrupt, PROCESS_SIGNALS, type Signals } from './interrupt.js'

export interface Progress {
  /** adds `n` to the value */
  add(n: number): void
  stop(): void
}

const SILENT: Progress = { add: () => undefined, stop: () => undefined }

/** A bar with a known total (`{value}/{total}` and a percentage) or a counter without one. */
export const startProgress = (
  stream: NodeJS.WritableStream | undefined,
  label: string,
  unit: string,
  total?: number,
  signals: Signals = PROCESS_SIGNALS,
): Progress => {
  if (stream === undefined) return SILENT
  const format =
    total === undefined ? `${label} {value} ${unit}` : `${label} [{bar}] {percentage}% {value}/{total} ${unit}`
  const bar = new SingleBar(
    { stream, format, hideCursor: true, clearOnComplete: false, fps: 10 },
    Presets.shades_classic,
  )
  bar.start(total ?? 0, 0)
  const release = onInterrupt(() => bar.stop(), signals)
  let value = 0
  return {
    add: (n) => {
      value += n
      bar.update(value)
    },
    stop: () => {
      release()
      bar.stop()
    },
  }
}

/** The stream, counting its bytes into `p` as they pass. */
export const counted = (source: AsyncIterable<Uint8Array>, p: Progress): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    for await (const c of source) {
      p.add(c.byteLength)
      yield c
    }
  },
})
