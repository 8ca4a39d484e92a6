/**
 * Progress and cancellation of one store task (extract, package): `onProgress` hears of each
 * layer as its bytes and entries pass, and an aborted `signal` ends the task with `Cancelled` at
 * its next step, after the task's own undo ran: nothing is left half-published, as after a crash.
 */
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type StorageError } from '../errors.js'

/** Where one layer of a task is. */
export interface LayerProgress {
  /** the layer's position in the task, 0 at the bottom */
  readonly index: number
  /** how many layers the task has */
  readonly count: number
  /** what to call the layer: its blob digest when known, else its diffID or chainID */
  readonly label: string
  /** bytes of the blob (extract) or of the tar (package) read so far */
  readonly bytesRead: number
  /** the bytes there are in all, when known */
  readonly bytesTotal: number | undefined
  /** tar entries applied (extract) or written (package) so far */
  readonly entries: number
  /** `reading` while bytes pass; `reused`: the layer existed, nothing was read; `done` */
  readonly phase: 'reading' | 'reused' | 'done'
}

/**
 * What a caller may give a long store task, both optional.
 * @example
 * ```ts
 * const ac = new AbortController()
 * process.once('SIGINT', () => ac.abort())
 * await store.extractImage('./image', 'latest', { signal: ac.signal, onProgress: (p) => console.log(p.label, p.bytesRead) })()
 * ```
 */
export interface TaskControl {
  /** hears of each layer's progress, per chunk and per entry (it must not throw: a throw fails the task) */
  readonly onProgress?: (progress: LayerProgress) => void
  /** aborting it ends the task with `Cancelled`; whatever the task had begun is undone first */
  readonly signal?: AbortSignal
}

/** The error an aborted task ends with. */
export const cancelled = (what: string): StorageError => err('Cancelled', { what })

/** Left `Cancelled` once `control`'s signal is aborted: a task checks this before each step. */
export const checkpoint = (control: TaskControl, what: string): TE.TaskEither<StorageError, void> =>
  control.signal?.aborted === true ? TE.left(cancelled(what)) : TE.right(undefined)

/** `source`, failing with `Cancelled` (thrown as the StorageError value, as byte streams report) at the first chunk after an abort. */
export const abortable = (
  source: AsyncIterable<Uint8Array>,
  control: TaskControl,
  what: string,
): AsyncIterable<Uint8Array> => {
  const signal = control.signal
  if (signal === undefined) return source
  return {
    async *[Symbol.asyncIterator]() {
      if (signal.aborted) throw cancelled(what)
      for await (const c of source) {
        if (signal.aborted) throw cancelled(what)
        yield c
      }
    },
  }
}

/** Counts one layer's bytes and entries into `onProgress`. */
export interface LayerMeter {
  readonly bytes: (n: number) => void
  readonly entry: () => void
  readonly end: (phase: 'reused' | 'done') => void
}

const QUIET: LayerMeter = { bytes: () => undefined, entry: () => undefined, end: () => undefined }

/** A meter for the layer at `at` (its counts start at 0). */
export const layerMeter = (
  control: TaskControl,
  at: Pick<LayerProgress, 'index' | 'count' | 'label' | 'bytesTotal'>,
): LayerMeter => {
  const on = control.onProgress
  if (on === undefined) return QUIET
  let bytesRead = 0
  let entries = 0
  const tell = (phase: LayerProgress['phase']): void => on({ ...at, bytesRead, entries, phase })
  return {
    bytes: (n) => {
      bytesRead += n
      tell('reading')
    },
    entry: () => {
      entries++
      tell('reading')
    },
    end: tell,
  }
}

/** `source` with every chunk counted into `meter`, which hears `done` at its end. */
export const metered = (source: AsyncIterable<Uint8Array>, meter: LayerMeter): AsyncIterable<Uint8Array> => ({
  async *[Symbol.asyncIterator]() {
    for await (const c of source) {
      meter.bytes(c.byteLength)
      yield c
    }
    meter.end('done')
  },
})
