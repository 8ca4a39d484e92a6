/** Tar bytes built by hand for the reader's tests: any header field, any bytes, a correct checksum unless told otherwise. */
import * as E from 'fp-ts/lib/Either.js'
import { applyLayer, datasetName, type ApplyResult, type Driver, type FileTree, type StorageError } from '@stratum/core'
import { paxRecord } from '@stratum/core/internal'
import { createSimDriver, SIM_CAPABILITIES } from '@stratum/sim-driver'

export interface RawHeader {
  readonly name: Uint8Array | string
  readonly type?: string
  readonly size?: number
  readonly mode?: number
  readonly uid?: number
  readonly gid?: number
  readonly mtime?: number
  readonly linkname?: Uint8Array | string
  readonly prefix?: Uint8Array | string
  /** 'ustar' (POSIX, default), 'gnu' or 'v7' */
  readonly format?: 'ustar' | 'gnu' | 'v7'
  /** raw bytes for a numeric field, e.g. GNU base-256 */
  readonly raw?: Partial<Record<'uid' | 'gid' | 'size' | 'mtime', Uint8Array>>
  readonly badChecksum?: boolean
}

const bytes = (s: Uint8Array | string): Uint8Array => (typeof s === 'string' ? Buffer.from(s, 'latin1') : s)
const octal = (n: number, width: number): Buffer => Buffer.from(`${n.toString(8).padStart(width - 1, '0')}\0`, 'latin1')

/** GNU base-256 (two's complement) of `n` in `width` bytes. */
export const base256 = (n: bigint, width: number): Uint8Array => {
  const out = new Uint8Array(width)
  let x = n < 0n ? (1n << BigInt(8 * width)) + n : n
  for (let i = width - 1; i >= 0; i--) {
    out[i] = Number(x & 0xffn)
    x >>= 8n
  }
  out[0] = n < 0n ? 0xff : 0x80
  return out
}

export const header = (h: RawHeader): Buffer => {
  const b = Buffer.alloc(512)
  b.set(bytes(h.name).subarray(0, 100), 0)
  const num = (k: 'uid' | 'gid' | 'size' | 'mtime', off: number, width: number, v: number): void => {
    b.set(h.raw?.[k] ?? octal(v, width), off)
  }
  b.set(octal(h.mode ?? 0o644, 8), 100)
  num('uid', 108, 8, h.uid ?? 0)
  num('gid', 116, 8, h.gid ?? 0)
  num('size', 124, 12, h.size ?? 0)
  num('mtime', 136, 12, h.mtime ?? 0)
  b.write(h.type ?? '0', 156, 'latin1')
  b.set(bytes(h.linkname ?? '').subarray(0, 100), 157)
  const format = h.format ?? 'ustar'
  if (format === 'ustar') b.write('ustar\u000000', 257, 'latin1')
  if (format === 'gnu') b.write('ustar  \u0000', 257, 'latin1')
  if (format !== 'v7') {
    b.set(octal(0, 8), 329)
    b.set(octal(0, 8), 337)
  }
  if (h.prefix !== undefined) b.set(bytes(h.prefix), 345)
  b.fill(0x20, 148, 156)
  const sum = b.reduce((a, x) => a + x, 0) + (h.badChecksum === true ? 1 : 0)
  b.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
  return b
}

export const pad = (n: number): Buffer => Buffer.alloc((512 - (n % 512)) % 512)
/** A header and its data, padded. */
export const entry = (h: RawHeader, data: Uint8Array = new Uint8Array(0)): Buffer =>
  Buffer.concat([header({ ...h, size: h.size ?? data.length }), data, pad(data.length)])
/** An extended header (`x`, `g`) of PAX records. */
export const pax = (type: 'x' | 'g', records: ReadonlyArray<readonly [string, Uint8Array | string]>): Buffer =>
  entry({ name: 'PaxHeader', type }, Buffer.concat(records.map(([k, v]) => paxRecord(k, bytes(v)))))
/** A GNU long name (`L`) or long link (`K`). */
export const gnuLong = (type: 'L' | 'K', name: Uint8Array | string): Buffer =>
  entry({ name: '././@LongLink', type, format: 'gnu' }, Buffer.concat([bytes(name), Buffer.alloc(1)]))
export const END = Buffer.alloc(1024)

export const simTree = async (): Promise<{ driver: Driver; tree: FileTree }> => {
  const driver = createSimDriver()
  await driver.create(datasetName('testpool/t'))()
  const t = await driver.fs(datasetName('testpool/t'))()
  if (E.isLeft(t)) throw new Error('fs')
  return { driver, tree: t.right }
}

async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b
}

/** applyLayer of `tar`; a run that does not settle within `ms` is reported as 'unsettled'. */
export const applyBytes = async (
  tree: FileTree,
  tar: Uint8Array,
  ms = 5000,
): Promise<E.Either<StorageError, ApplyResult> | 'unsettled'> => {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<'unsettled'>((r) => {
    timer = setTimeout(() => r('unsettled'), ms)
  })
  try {
    return await Promise.race([applyLayer(tree, once(tar), { capabilities: SIM_CAPABILITIES })(), timeout])
  } finally {
    clearTimeout(timer)
  }
}
