/**
 * One open state file: reads records by offset (synchronously: the simulator's calls are
 * synchronous steps), appends a batch of records, and writes an uberblock. Reads never need
 * the lock: records are immutable once an uberblock names them.
 */
import { closeSync, fstatSync, fsyncSync, readSync, writevSync, writeSync } from 'node:fs'
import { CorruptState, refCache, type Source } from '../lazy.js'
import { decodeNode } from './codec.js'
import {
  encodeUber,
  HEADER_SIZE,
  KIND,
  MAGIC,
  newestUber,
  RECORD_HEAD,
  UBER_BYTES,
  unframe,
  type Kind,
  type Uber,
} from './format.js'

export class StoreFile implements Source {
  readonly ref: Source['ref'] = refCache(this)
  constructor(
    readonly path: string,
    readonly fd: number,
  ) {}

  private pread(off: number, len: number): Buffer {
    const b = Buffer.allocUnsafe(len)
    let got = 0
    while (got < len) {
      const n = readSync(this.fd, b, got, len - got, off + got)
      if (n === 0) break
      got += n
    }
    return b.subarray(0, got)
  }

  /** Whether the file starts with this format's magic (an empty file does not). */
  isStore(): boolean {
    return this.pread(0, MAGIC.length).equals(MAGIC)
  }

  size(): number {
    return fstatSync(this.fd).size
  }

  /** The newest valid uberblock; a file with none is corrupt. */
  uber(): Uber {
    const u = newestUber(this.pread(0, UBER_BYTES))
    if (u === undefined) throw new CorruptState('no valid uberblock in the header')
    return u
  }

  record(off: number, kind: Kind, sizeHint = 240): Buffer {
    if (!Number.isSafeInteger(off) || off < HEADER_SIZE)
      throw new CorruptState(`record offset ${off} is outside the records`)
    let rec = this.pread(off, RECORD_HEAD + sizeHint)
    if (rec.length >= RECORD_HEAD && rec.readUInt32LE(0) > sizeHint)
      rec = this.pread(off, RECORD_HEAD + rec.readUInt32LE(0))
    const p = unframe(rec, kind)
    if (typeof p === 'string') throw new CorruptState(`record at offset ${off}: ${p}`)
    return p
  }

  /** The kind and payload of the record at `off`, which must be a namespace or delta record. */
  commitRecord(off: number): { kind: Kind; payload: Buffer } {
    const head = this.pread(off, RECORD_HEAD)
    const kind = head.length === RECORD_HEAD ? head.readUInt8(8) : 0
    if (kind !== KIND.namespace && kind !== KIND.delta)
      throw new CorruptState(`the uberblock names offset ${off}, not a commit record`)
    return { kind, payload: this.record(off, kind, 4096) }
  }

  node(off: number): unknown {
    return decodeNode(this, off, this.record(off, KIND.node))
  }

  bytes(off: number, size: number): Uint8Array {
    const p = this.record(off, KIND.bytes, size)
    if (p.length !== size)
      throw new CorruptState(`content at offset ${off}: ${p.length} bytes, the file's size says ${size}`)
    return new Uint8Array(p)
  }

  append(at: number, bufs: readonly Buffer[]): void {
    let off = at
    for (let i = 0; i < bufs.length; i += 512) {
      const part = bufs.slice(i, i + 512)
      let len = 0
      for (const b of part) len += b.length
      const done = writevSync(this.fd, part, off)
      if (done < len) {
        const rest = Buffer.concat(part).subarray(done)
        for (let d = 0; d < rest.length; ) d += writeSync(this.fd, rest, d, rest.length - d, off + done + d)
      }
      off += len
    }
  }

  writeUber(u: Uber): void {
    const { at, buf } = encodeUber(u)
    writeSync(this.fd, buf, 0, buf.length, at)
  }

  sync(): void {
    fsyncSync(this.fd)
  }

  close(): void {
    closeSync(this.fd)
  }
}
