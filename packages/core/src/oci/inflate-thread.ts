/**
 * A gzip layer blob inflated and hashed on a worker thread (one per process, started on first
 * use): the blob's sha256, zlib's inflate and the tar's sha256 run beside the apply, not on its
 * thread. The thread applies the decompression limits itself (it stops at the chunk that passes
 * one, which the reader then raises), so a bomb is not inflated into memory. The script uses
 * only Node's built-ins, so it runs from the sources and from the build alike.
 */
import { Worker } from 'node:worker_threads'
import type { DecompressLimits } from './decompress-limits.js'

const SCRIPT = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { createGunzip } = require('node:zlib')
const jobs = new Map()
const send = (m, transfer) => parentPort.postMessage(m, transfer)
const settle = (id, j) => {
  if (!j.ended || j.z !== undefined) return
  jobs.delete(id)
  send({ id, type: 'done', blob: j.blob.digest('hex'), tar: j.inflated ? j.tar.digest('hex') : undefined })
}
const stop = (id, j) => {
  const z = j.z
  if (z === undefined) return
  j.z = undefined
  z.removeAllListeners('data')
  z.on('error', () => {})
  z.destroy()
  if (j.pending > 0) send({ id, type: 'ack', n: j.pending })
  j.pending = 0
}
const open = (id, limits) => {
  const j = { blob: createHash('sha256'), tar: createHash('sha256'), z: createGunzip({ chunkSize: 128 * 1024 }),
    written: 0, out: 0, pending: 0, ended: false, inflated: false }
  const z = j.z
  jobs.set(id, j)
  z.on('data', (c) => {
    j.tar.update(c)
    j.out += c.byteLength
    const copy = new Uint8Array(c) // zlib's chunks share buffers: transfer a copy
    send({ id, type: 'out', chunk: copy, inBytes: j.written }, [copy.buffer])
    if (j.out > limits.maxBytes || (j.out > limits.ratioFloor && j.out > limits.maxRatio * Math.max(j.written, 1))) stop(id, j)
  })
  z.on('error', (e) => {
    if (j.z !== z) return
    send({ id, type: 'zlib', message: e.message })
    stop(id, j)
    settle(id, j)
  })
  z.on('end', () => {
    if (j.z !== z) return
    j.inflated = true
    j.z = undefined
    settle(id, j)
  })
}
parentPort.on('message', (m) => {
  if (m.type === 'open') return open(m.id, m.limits)
  const j = jobs.get(m.id)
  if (j === undefined) return
  if (m.type === 'in') {
    const n = m.chunk.byteLength
    j.blob.update(m.chunk)
    const z = j.z
    if (z === undefined) return send({ id: m.id, type: 'ack', n })
    j.written += n
    j.pending += n
    z.write(m.chunk, () => {
      if (j.z !== z) return
      j.pending -= n
      send({ id: m.id, type: 'ack', n })
    })
  } else if (m.type === 'end') {
    j.ended = true
    if (j.z !== undefined) j.z.end()
    else settle(m.id, j)
  } else if (m.type === 'stop') {
    stop(m.id, j)
    settle(m.id, j)
  } else if (m.type === 'drop') {
    stop(m.id, j)
    jobs.delete(m.id)
  }
})
`

/** Blob bytes handed to the thread and not yet taken by zlib, at most (the writer waits). */
export const INFLATE_IN_FLIGHT = 2 * 1024 * 1024

/** Tar bytes inflated ahead of the reader, at most before the writer waits. */
export const INFLATE_AHEAD = 16 * 1024 * 1024

/** What the reader gets next: a tar chunk (with the blob bytes inflated by then), the end, or why not. */
export type Inflated =
  | { readonly kind: 'out'; readonly chunk: Uint8Array; readonly inBytes: number }
  | { readonly kind: 'end' }
  | { readonly kind: 'zlib'; readonly message: string }
  | { readonly kind: 'failed'; readonly error: unknown }

/** The sha256 (hex) of the blob given and, when it inflated to its end, of the tar. */
export interface InflateDigests {
  readonly blob: string
  readonly tar: string | undefined
}

/** One blob on the thread. */
export interface InflateJob {
  /** hands a chunk over at once; resolves when the thread may take more */
  write(chunk: Uint8Array): Promise<void>
  /** the blob has no more bytes */
  end(): void
  /** the next thing the thread inflated */
  next(): Promise<Inflated>
  /** a failure of the writer's source, given to the reader in order */
  fail(error: unknown): void
  /** no more inflating: what is written is only hashed (the tar digest is then undefined) */
  stop(): void
  /** forget the job (a blob abandoned before its end) */
  drop(): void
  /** both digests, once the blob ended and the thread settled */
  readonly digests: Promise<InflateDigests>
}

type Message =
  | { readonly id: number; readonly type: 'out'; readonly chunk: Uint8Array; readonly inBytes: number }
  | { readonly id: number; readonly type: 'ack'; readonly n: number }
  | { readonly id: number; readonly type: 'zlib'; readonly message: string }
  | { readonly id: number; readonly type: 'done'; readonly blob: string; readonly tar: string | undefined }

interface Listener {
  on(m: Message): void
  lost(error: Error): void
}

let thread: { readonly worker: Worker; readonly jobs: Map<number, Listener> } | undefined
let lastId = 0

/** The shared thread, started on first use; it keeps the process alive only while a job is open. */
const shared = () => {
  if (thread !== undefined) return thread
  const worker = new Worker(SCRIPT, { eval: true })
  const jobs = new Map<number, Listener>()
  const t = { worker, jobs }
  const lost = (error: Error) => {
    if (thread === t) thread = undefined
    for (const l of jobs.values()) l.lost(error)
    jobs.clear()
  }
  worker.on('message', (m: Message) => jobs.get(m.id)?.on(m))
  worker.on('error', lost)
  worker.on('exit', (code) => lost(new Error(`the inflate thread exited (${code})`)))
  worker.unref()
  thread = t
  return t
}

/** Jobs the thread holds (each keeps the process alive until it ends or is dropped). */
export const openInflateJobs = (): number => thread?.jobs.size ?? 0

/** A blob to inflate on the thread under `limits`. */
export const openInflateJob = (limits: DecompressLimits): InflateJob => {
  const t = shared()
  const id = ++lastId
  const queue: Inflated[] = []
  let queued = 0
  let inFlight = 0
  let ended = false
  let stopped = false
  let wakeReader: (() => void) | undefined
  let wakeWriter: (() => void) | undefined
  let settled: ((d: InflateDigests) => void) | undefined
  let lostWith: ((e: unknown) => void) | undefined
  const digests = new Promise<InflateDigests>((resolve, reject) => {
    settled = resolve
    lostWith = reject
  })
  digests.catch(() => undefined)
  const forget = () => {
    if (t.jobs.delete(id) && t.jobs.size === 0) t.worker.unref()
  }
  const push = (x: Inflated) => {
    queue.push(x)
    wakeReader?.()
  }
  const wake = () => wakeWriter?.()
  const full = () => inFlight > INFLATE_IN_FLIGHT || queued > INFLATE_AHEAD
  t.jobs.set(id, {
    on: (m) => {
      if (m.type === 'ack') {
        inFlight -= m.n
        wake()
      } else if (m.type === 'out') {
        if (stopped) return
        queued += m.chunk.byteLength
        push({ kind: 'out', chunk: m.chunk, inBytes: m.inBytes })
      } else if (m.type === 'zlib') push({ kind: 'zlib', message: m.message })
      else {
        forget()
        push({ kind: 'end' })
        settled?.({ blob: m.blob, tar: m.tar })
      }
    },
    lost: (error) => {
      inFlight = 0
      push({ kind: 'failed', error })
      wake()
      lostWith?.(error)
    },
  })
  if (t.jobs.size === 1) t.worker.ref()
  t.worker.postMessage({ id, type: 'open', limits })
  return {
    write: async (chunk) => {
      const copy = new Uint8Array(chunk) // the source may reuse its buffer: transfer a copy
      inFlight += copy.byteLength
      t.worker.postMessage({ id, type: 'in', chunk: copy }, [copy.buffer])
      while (full() && t.jobs.has(id)) await new Promise<void>((r) => (wakeWriter = r))
    },
    end: () => {
      if (ended) return
      ended = true
      t.worker.postMessage({ id, type: 'end' })
    },
    next: async () => {
      while (queue.length === 0) await new Promise<void>((r) => (wakeReader = r))
      const x = queue.shift()!
      if (x.kind === 'out') {
        queued -= x.chunk.byteLength
        wake()
      }
      return x
    },
    fail: (error) => push({ kind: 'failed', error }),
    stop: () => {
      if (stopped) return
      stopped = true
      queue.length = 0
      queued = 0
      wake()
      t.worker.postMessage({ id, type: 'stop' })
    },
    drop: () => {
      if (!t.jobs.has(id)) return
      forget()
      t.worker.postMessage({ id, type: 'drop' })
      lostWith?.(new Error('inflate job dropped'))
      wake()
    },
    digests,
  }
}
