/**
 * The state file's layout (docs/sim-store.md): a 4 KiB header holding a magic string and two
 * uberblock slots, then records appended and never rewritten. An uberblock names the newest
 * commit record and the newest one made durable with fsync; a commit alternates slots, so a
 * slot cut short (crc mismatch) leaves the other, older one. A record is
 * `[u32 length][u32 crc32][u8 kind][payload]`.
 */
import { readFileSync } from 'node:fs'
import { crc32 } from 'node:zlib'

export const MAGIC = Buffer.from('stratum-sim v2\n\0', 'latin1')
export const HEADER_SIZE = 4096
const SLOT_AT = [64, 128] as const
const SLOT_SIZE = 64
/** the header bytes holding both slots */
export const UBER_BYTES = 192
export const RECORD_HEAD = 9

export const KIND = { node: 1, bytes: 2, namespace: 3, delta: 4 } as const
export type Kind = (typeof KIND)[keyof typeof KIND]

export interface Uber {
  readonly seq: number
  /** the newest commit record, and the file's end after it */
  readonly off: number
  readonly end: number
  /** the newest commit written before an fsync */
  readonly syncedOff: number
  readonly syncedEnd: number
  /** the boot the newest commit was written in (zeros where unknown) */
  readonly boot: Buffer
}

const readBoot = (): Buffer => {
  try {
    const hex = readFileSync('/proc/sys/kernel/random/boot_id', 'latin1').trim().replace(/-/g, '')
    return /^[0-9a-f]{32}$/.test(hex) ? Buffer.from(hex, 'hex') : Buffer.alloc(16)
  } catch {
    return Buffer.alloc(16)
  }
}
/** This boot's id; all zeros where the system does not tell (every commit is then synced). */
export const BOOT = readBoot()
export const bootKnown = (): boolean => !BOOT.equals(Buffer.alloc(16))

export const encodeUber = (u: Uber): { at: number; buf: Buffer } => {
  const b = Buffer.alloc(SLOT_SIZE)
  b.writeBigUInt64LE(BigInt(u.seq), 0)
  b.writeBigUInt64LE(BigInt(u.off), 8)
  b.writeBigUInt64LE(BigInt(u.end), 16)
  b.writeBigUInt64LE(BigInt(u.syncedOff), 24)
  b.writeBigUInt64LE(BigInt(u.syncedEnd), 32)
  u.boot.copy(b, 40, 0, 16)
  b.writeUInt32LE(crc32(b.subarray(0, 60)), 60)
  return { at: SLOT_AT[u.seq % 2]!, buf: b }
}

const decodeSlot = (b: Buffer): Uber | undefined => {
  if (b.length < SLOT_SIZE || b.readUInt32LE(60) !== crc32(b.subarray(0, 60))) return undefined
  const n = (at: number) => Number(b.readBigUInt64LE(at))
  return { seq: n(0), off: n(8), end: n(16), syncedOff: n(24), syncedEnd: n(32), boot: Buffer.from(b.subarray(40, 56)) }
}

/** The newest valid uberblock of a header, or undefined when neither slot is valid. */
export const newestUber = (header: Buffer): Uber | undefined => {
  const [a, b] = SLOT_AT.map((at) => decodeSlot(header.subarray(at, at + SLOT_SIZE)))
  return a === undefined ? b : b === undefined ? a : a.seq > b.seq ? a : b
}

export const header = (u: Uber): Buffer => {
  const h = Buffer.alloc(HEADER_SIZE)
  MAGIC.copy(h, 0)
  const { at, buf } = encodeUber(u)
  buf.copy(h, at)
  return h
}

export const frame = (kind: Kind, payload: Uint8Array): Buffer[] => {
  const head = Buffer.alloc(RECORD_HEAD)
  head.writeUInt32LE(payload.length, 0)
  head.writeUInt32LE(crc32(payload), 4)
  head.writeUInt8(kind, 8)
  return [head, Buffer.from(payload.buffer, payload.byteOffset, payload.length)]
}

/** The payload of the record framed in `rec` (head included), or a reason it is not valid. */
export const unframe = (rec: Buffer, kind: Kind): Buffer | string => {
  if (rec.length < RECORD_HEAD) return 'cut short'
  const len = rec.readUInt32LE(0)
  if (rec.readUInt8(8) !== kind) return `not a record of kind ${kind}`
  if (rec.length < RECORD_HEAD + len) return 'cut short'
  const payload = rec.subarray(RECORD_HEAD, RECORD_HEAD + len)
  return crc32(payload) === rec.readUInt32LE(4) ? payload : 'checksum mismatch'
}
