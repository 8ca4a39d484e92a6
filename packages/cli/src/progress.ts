/**
 * Progress bars (cli-progress) for byte streams and entry counts: human units, the rate, an ETA
 * when the total is known, and for the store's layer tasks one bar per layer labelled with its
 * position and short digest. A bar is drawn only when the command was given a terminal to draw on
 * and --json is off; otherwise `Progress` counts silently.
 */
import { Presets, SingleBar } from 'cli-progress'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { LayerProgress } from '@stratum/core'
import { onInterrupt, PROCESS_SIGNALS, type Signals } from './interrupt.js'

export interface Progress {
  /** adds `n` to the value */
  add(n: number): void
  /** sets the value; `note` is shown after the figures (e.g. `reused`) */
  set(value: number, note?: string): void
  stop(): void
}

export type Unit = 'bytes' | 'entries'

const SILENT: Progress = { add: () => undefined, set: () => undefined, stop: () => undefined }

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB']

/** `n` bytes as `512 B`, `1.5 MiB`, ... (1024-based). */
export const humanBytes = (n: number): string => {
  let v = n
  let u = 0
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024
    u++
  }
  return u === 0 ? `${v} B` : `${v < 100 ? v.toFixed(1) : Math.round(v)} ${UNITS[u]}`
}

const shown = (unit: Unit, n: number): string => (unit === 'bytes' ? humanBytes(n) : String(n))
const suffix = (unit: Unit): string => (unit === 'bytes' ? '' : ' entries')

/** A bar with a known total (a percentage and an ETA) or a counter without one; both show the rate. */
export const startProgress = (
  stream: NodeJS.WritableStream | undefined,
  label: string,
  unit: Unit,
  total?: number,
  signals: Signals = PROCESS_SIGNALS,
): Progress => {
  if (stream === undefined) return SILENT
  const figures = total === undefined ? `{value}${suffix(unit)}` : `{value}/{total}${suffix(unit)}`
  const format =
    total === undefined
      ? `${label} ${figures} {rate}{note}`
      : `${label} [{bar}] {percentage}% ${figures} {rate} ETA {eta_formatted}{note}`
  const bar = new SingleBar(
    {
      stream,
      format,
      hideCursor: true,
      clearOnComplete: false,
      fps: 10,
      etaBuffer: 50,
      formatValue: (v, _o, type) => (type === 'value' || type === 'total' ? shown(unit, Number(v)) : String(v)),
    },
    Presets.shades_classic,
  )
  const started = Date.now()
  const payload = (value: number, note: string) => {
    const secs = Math.max((Date.now() - started) / 1000, 0.001)
    return { rate: `${shown(unit, Math.round(value / secs))}${unit === 'bytes' ? '' : ' entries'}/s`, note }
  }
  bar.start(total ?? 0, 0, payload(0, ''))
  const release = onInterrupt(() => bar.stop(), signals)
  let value = 0
  const set = (v: number, note = ''): void => {
    value = v
    bar.update(value, payload(value, note === '' ? '' : ` ${note}`))
  }
  return {
    add: (n) => set(value + n),
    set,
    stop: () => {
      release()
      bar.stop()
    },
  }
}

/** `label` shortened for a bar: a digest to its algorithm and 12 hex digits. */
const shortLabel = (label: string): string => label.replace(/^(sha256:[0-9a-f]{12})[0-9a-f]+$/, '$1')

/** Bars for a store task's LayerProgress: one per layer, `<command> <i>/<n> <digest>`, each left on screen when done. */
export const layerBars = (
  stream: NodeJS.WritableStream | undefined,
  command: string,
  signals: Signals = PROCESS_SIGNALS,
): { readonly onProgress: (p: LayerProgress) => void; readonly stop: () => void } => {
  let current: { readonly index: number; readonly bar: Progress } | undefined
  return {
    onProgress: (p) => {
      if (current?.index !== p.index) {
        current?.bar.stop()
        const named = p.label.startsWith('sha256:') ? ` ${shortLabel(p.label)}` : ''
        const label = p.count === 1 ? `${command}${named}` : `${command} ${p.index + 1}/${p.count}${named}`
        current = { index: p.index, bar: startProgress(stream, label, 'bytes', p.bytesTotal, signals) }
      }
      const entries = p.entries === 0 ? '' : `${p.entries} ${p.entries === 1 ? 'entry' : 'entries'}`
      if (p.phase === 'reused') current.bar.set(p.bytesTotal ?? 0, 'reused')
      else current.bar.set(p.bytesRead, entries)
    },
    stop: () => current?.bar.stop(),
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

/** `task`, its bar stopped when it ends, whether it succeeds or fails. */
export const stoppingBar =
  (bar: { readonly stop: () => void }) =>
  <E, A>(task: TE.TaskEither<E, A>): TE.TaskEither<E, A> =>
    pipe(
      task,
      TE.tapIO(() => () => bar.stop()),
      TE.orElseFirstIOK(() => () => bar.stop()),
    )
