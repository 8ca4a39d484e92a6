/**
 * New files written on a second thread, so that their system calls run beside the JavaScript
 * that reads the next tar entries: one thread per process (writer-source.ts), started with the
 * first file queued and left to end with the process. Jobs go in batches written into memory
 * shared with the thread (a file's bytes copied once); a shared word tells it a batch is there,
 * another counts the jobs done, so either side waits for the other synchronously (Atomics.wait);
 * failures come back on a port read synchronously.
 *
 * A queued job holds its pinned directory open until it is done. Each tree's jobs are one
 * client's, and only the first failure of a client is kept, its own to take. Jobs are made in
 * the order queued, but only among themselves: a caller that queued a name waits (`wait`)
 * before any call that could see or change it.
 */
import { constants } from 'node:fs'
import { createRequire } from 'node:module'
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads'
import { timespecPair } from './host-calls.js'
import { SIGNATURES } from './libc.js'
import { WRITER_SOURCE } from './writer-source.js'

/** words per job (see writer-source.ts) */
const STRIDE = 11
/** what a job does: a new file written, or owner and mode set (a directory just made) */
export const WRITE_FILE = 0
export const SET_META = 1
const BATCH_JOBS = 256
const BATCH_BYTES = 1 << 20
/** batches posted and not yet done, at most; one more slot is being filled */
const IN_FLIGHT = 8
const SLOTS = IN_FLIGHT + 1
const RING = SLOTS * BATCH_JOBS
/** the largest file queued; a larger one is written at once by the caller */
export const MAX_QUEUED_BYTES = 1 << 18
const CALLS = ['openat', 'write', 'fchown', 'fchmod', 'futimens', 'close', 'fchownat', 'fchmodat'] as const
const LAYOUT = {
  DONE: 0,
  POSTED: 1,
  SLEEPING: 2,
  STRIDE,
  SLOTS,
  JOBS: BATCH_JOBS,
  BYTES: BATCH_BYTES,
  CREATE: constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
  AT_SYMLINK_NOFOLLOW: 0x100,
}

/** What a failed job tells: its label (the caller's name for it), its path, the errno and the call that failed. */
export interface WriteFailure {
  readonly label: string
  /** the tree's path of the file */
  readonly path: string
  readonly errno: number
  readonly call: string
}

/** A directory hold: ended once the job in it is done. */
export interface Hold {
  free(): void
}

/** A job's owner (both undefined: left), mode and, for a file, time. */
export interface JobOptions {
  readonly uid?: number
  readonly gid?: number
  readonly mode: number
  readonly mtimeMs?: number
}

/**
 * A job on `name` (a C string: a NUL-terminated Buffer, or a string) in the directory open as
 * `dirFd`: a new file of `data` (WRITE_FILE), or owner and mode set (SET_META); `path` and
 * `label` name it in its failure; `hold` ends once it is done.
 */
type Job = [
  kind: number,
  dirFd: number,
  name: string | Buffer,
  data: Uint8Array,
  o: JobOptions,
  path: string,
  label: string,
  hold: Hold,
]

/** A caller's queue (one per tree). */
export interface Client {
  /** queues the job: false (nothing queued, `hold` not taken) once this client has a failure not taken */
  queue(...job: Job): boolean
  /** waits until every job queued so far is done */
  wait(): void
  /** `wait`, then this client's first failure since the last one taken, taken */
  settle(): WriteFailure | undefined
}

class Writer {
  private readonly ctl = new Int32Array(new SharedArrayBuffer(3 * 4))
  private readonly counts = new Int32Array(new SharedArrayBuffer(SLOTS * 4))
  private readonly jobSlots = new SharedArrayBuffer(SLOTS * BATCH_JOBS * STRIDE * 8)
  private readonly byteSlots = new SharedArrayBuffer(SLOTS * BATCH_BYTES)
  private readonly failures = new MessageChannel()
  /** jobs queued (the next job's number), jobs whose hold was ended, batches posted */
  private queued = 0
  private released = 0
  private batches = 0
  /** per job in the ring: its hold, path and label */
  private readonly holds: (Hold | undefined)[] = new Array<Hold | undefined>(RING)
  private readonly paths: string[] = new Array<string>(RING)
  private readonly labels: string[] = new Array<string>(RING)
  /** the job number after each batch posted and not known done */
  private readonly batchEnds: number[] = []
  private jobs: Float64Array
  private bytes: Buffer
  private count = 0
  private used = 0
  private posting = false
  private clients = 0
  private readonly failed = new Map<number, WriteFailure>()

  constructor(koffi: string) {
    this.jobs = this.jobsOf(0)
    this.bytes = this.bytesOf(0)
    const worker = new Worker(WRITER_SOURCE, {
      eval: true,
      workerData: {
        koffi,
        signatures: Object.fromEntries(CALLS.map((c) => [c, SIGNATURES[c]])),
        control: this.ctl.buffer,
        counts: this.counts.buffer,
        jobSlots: this.jobSlots,
        byteSlots: this.byteSlots,
        failures: this.failures.port2,
        layout: LAYOUT,
      },
      transferList: [this.failures.port2],
    })
    worker.unref()
  }

  client(): Client {
    const id = ++this.clients
    return {
      queue: (...job) => this.queue(id, ...job),
      wait: () => this.waitAll(),
      settle: () => {
        this.waitAll()
        const f = this.failed.get(id)
        this.failed.delete(id)
        return f
      },
    }
  }

  waitAll(): void {
    this.waitFor(this.queued)
  }

  private queue(owner: number, ...[kind, dirFd, name, data, o, path, label, hold]: Job): boolean {
    this.advance()
    if (this.failed.has(owner)) return false
    const need = (typeof name === 'string' ? name.length * 3 + 1 : name.length) + data.length + 32
    if (this.count === BATCH_JOBS || this.used + need > BATCH_BYTES) this.post()
    const j = this.jobs
    const at = this.count * STRIDE
    const b = this.bytes
    let u = this.used
    j[at] = dirFd
    j[at + 1] = u
    if (typeof name === 'string') {
      u += b.write(name, u)
      b[u++] = 0
    } else {
      b.set(name, u)
      u += name.length
    }
    j[at + 2] = u
    j[at + 3] = u
    b.set(data, u)
    u += data.length
    j[at + 4] = u
    const owned = o.uid !== undefined || o.gid !== undefined
    j[at + 5] = owned ? (o.uid ?? -1) : NaN
    j[at + 6] = owned ? (o.gid ?? -1) : NaN
    j[at + 7] = o.mode
    if (o.mtimeMs === undefined) j[at + 8] = NaN
    else {
      j[at + 8] = u
      timespecPair(o.mtimeMs, b, u)
      u += 32
    }
    j[at + 9] = owner
    j[at + 10] = kind
    this.used = u
    const i = this.queued % RING
    this.holds[i] = hold
    this.paths[i] = path
    this.labels[i] = label
    this.queued++
    this.count++
    // the batch goes when full, or once this turn of the event loop ends
    if (!this.posting) {
      this.posting = true
      setImmediate(() => {
        this.posting = false
        this.post()
      })
    }
    return true
  }

  /** Posts the batch being filled, when it holds jobs; at most IN_FLIGHT batches are out (its slot is free). */
  private post(): void {
    if (this.count === 0) return
    while (this.batchEnds.length >= IN_FLIGHT) this.waitFor(this.batchEnds[0]!)
    this.counts[this.batches % SLOTS] = this.count
    this.batchEnds.push(this.queued)
    this.batches++
    Atomics.store(this.ctl, LAYOUT.POSTED, this.batches)
    if (Atomics.load(this.ctl, LAYOUT.SLEEPING) === 1) Atomics.notify(this.ctl, LAYOUT.POSTED)
    this.jobs = this.jobsOf(this.batches % SLOTS)
    this.bytes = this.bytesOf(this.batches % SLOTS)
    this.count = 0
    this.used = 0
  }

  private jobsOf(slot: number): Float64Array {
    return new Float64Array(this.jobSlots, slot * BATCH_JOBS * STRIDE * 8, BATCH_JOBS * STRIDE)
  }

  private bytesOf(slot: number): Buffer {
    return Buffer.from(this.byteSlots, slot * BATCH_BYTES, BATCH_BYTES)
  }

  /** Blocks until `n` jobs are done (posting the batch being filled first, if `n` needs it). */
  private waitFor(n: number): void {
    if (this.queued - this.count < n) this.post()
    for (let d = Atomics.load(this.ctl, LAYOUT.DONE); d < n; d = Atomics.load(this.ctl, LAYOUT.DONE))
      Atomics.wait(this.ctl, LAYOUT.DONE, d)
    this.advance()
  }

  /** Takes the failures told and ends the holds of the jobs done. */
  private advance(): void {
    const done = Atomics.load(this.ctl, LAYOUT.DONE)
    if (done === this.released) return
    // a failure is told before its batch counts as done: its job's path and label are still here
    const port = this.failures.port1
    for (let m = receiveMessageOnPort(port); m !== undefined; m = receiveMessageOnPort(port)) {
      const { owner, job, errno, call } = m.message as { owner: number; job: number; errno: number; call: number }
      const i = job % RING
      if (!this.failed.has(owner))
        this.failed.set(owner, {
          label: this.labels[i]!,
          path: this.paths[i]!,
          errno,
          call: CALLS[call] ?? 'the writer thread',
        })
    }
    for (; this.released < done; this.released++) {
      const i = this.released % RING
      this.holds[i]!.free()
      this.holds[i] = undefined
    }
    while (this.batchEnds.length > 0 && this.batchEnds[0]! <= done) this.batchEnds.shift()
  }
}

let writer: Writer | undefined

/** Waits for every job of every client and ends their holds (before descriptors are released). */
export const waitForWriter = (): void => writer?.waitAll()

/** A new client of the process's writer thread (started now if need be); undefined where it cannot start. */
export const writerClient = (): Client | undefined => {
  try {
    writer ??= new Writer(createRequire(import.meta.url).resolve('koffi'))
    return writer.client()
  } catch {
    return undefined
  }
}
