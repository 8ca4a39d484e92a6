/**
 * Random and mutated layer tars for the tar fuzz property: a valid archive (ustar and PAX
 * entries from the packager's encoder, GNU long names, global PAX headers) then mutations
 * at the byte level (truncation, flipped bytes, header fields rewritten with a correct
 * checksum so the reader gets past it, inserted PAX records and zero blocks, trailing junk).
 */
import fc from 'fast-check'
import type { TarEntry } from '@stratum/core'
import { encodeHeader, END_OF_ARCHIVE, paxRecord } from '@stratum/core/internal'

const BLOCK = 512
const pad = (n: number): Uint8Array => new Uint8Array((BLOCK - (n % BLOCK)) % BLOCK)

/** Sets byte 156 (typeflag) and recomputes the checksum of a header block, in place. */
export const retype = (h: Uint8Array, flag: number): Uint8Array => {
  h[156] = flag
  return fixChecksum(h)
}
export const fixChecksum = (h: Uint8Array): Uint8Array => {
  h.fill(0x20, 148, 156)
  const sum = h.subarray(0, BLOCK).reduce((a, b) => a + b, 0)
  h.set(Buffer.from(`${sum.toString(8).padStart(6, '0')}\0 `, 'latin1'), 148)
  return h
}

/** A meta header (`x`, `g`, `L`, `K`) carrying `data`, then the data padded. */
export const metaBlock = (flag: string, data: Uint8Array): Uint8Array => {
  const h = Uint8Array.from(
    encodeHeader({ path: 'PaxHeader', type: 'file', mode: 0o644, uid: 0, gid: 0, mtimeMs: 0, size: data.length }),
  )
  return Buffer.concat([retype(h, flag.charCodeAt(0)), data, pad(data.length)])
}

/** One piece of an archive; `header` is the offset of its last header block inside `bytes`. */
interface Piece {
  readonly bytes: Uint8Array
  readonly header: number
}

const names = fc.constantFrom(
  'a',
  'b',
  'a/b',
  'a/b/c',
  'd/',
  'l',
  '.wh.a',
  'a/.wh..wh..opq',
  '../x',
  '/etc/x',
  `${'n'.repeat(120)}/f`,
  'caf\udce9',
  'é',
)
const linkTargets = fc.constantFrom('a', 'a/b', '/', '../..', 'l', 'missing', '')
const paxKeys = fc.constantFrom(
  'path',
  'linkpath',
  'size',
  'uid',
  'gid',
  'mtime',
  'SCHILY.xattr.user.a',
  'GNU.sparse.major',
  'hdrcharset',
  'comment',
)
const paxValues = fc.oneof(
  fc.constantFrom('', '0', '1', '-1', '1.5', '-1.0005', '4294967296', '99999999999999999999', 'a', '../x', 'x/y'),
  fc.uint8Array({ maxLength: 12 }).map((b) => Buffer.from(b).toString('latin1')),
)

const entryArb: fc.Arbitrary<TarEntry> = fc
  .record({
    path: names,
    type: fc.constantFrom('file', 'file', 'dir', 'symlink', 'hardlink', 'fifo'),
    mode: fc.constantFrom(0o644, 0o755, 0o4755, 0),
    uid: fc.constantFrom(0, 1000, 2 ** 21, 2 ** 32 - 1),
    gid: fc.constantFrom(0, 1000),
    mtimeMs: fc.constantFrom(0, 1_600_000_000_000, 1_600_000_000_123, -1500),
    size: fc.nat(1200),
    linkname: linkTargets,
  })
  .map(
    (e): TarEntry =>
      e.type === 'symlink' || e.type === 'hardlink'
        ? { ...e, size: 0 }
        : ({ ...e, size: e.type === 'file' ? e.size : 0, linkname: undefined } as TarEntry),
  )

const pieceArb: fc.Arbitrary<Piece> = fc.oneof(
  {
    weight: 6,
    arbitrary: entryArb.map((e) => {
      const h = encodeHeader(e)
      const data = new Uint8Array(e.type === 'file' ? e.size : 0).fill(0x61)
      return { bytes: Buffer.concat([h, data, pad(data.length)]), header: h.length - BLOCK }
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('x', 'g'), fc.array(fc.tuple(paxKeys, paxValues), { minLength: 1, maxLength: 3 }))
      .map(([flag, recs]) => ({
        bytes: metaBlock(flag, Buffer.concat(recs.map(([k, v]) => paxRecord(k, Buffer.from(v, 'latin1'))))),
        header: 0,
      })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom('L', 'K'), names)
      .map(([flag, n]) => ({ bytes: metaBlock(flag, Buffer.from(`${n}\0`, 'latin1')), header: 0 })),
  },
)

type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'flip'; readonly at: number; readonly xor: number }
  | { readonly kind: 'field'; readonly piece: number; readonly off: number; readonly value: Uint8Array }
  | { readonly kind: 'insert'; readonly piece: number; readonly bytes: Uint8Array }
  | { readonly kind: 'junk'; readonly bytes: Uint8Array }

/** Header fields as [offset, length]: name, mode, uid, gid, size, mtime, typeflag, linkname, magic, prefix. */
const FIELDS: ReadonlyArray<readonly [number, number]> = [
  [0, 100],
  [100, 8],
  [108, 8],
  [116, 8],
  [124, 12],
  [136, 12],
  [156, 1],
  [157, 100],
  [257, 8],
  [345, 155],
]
const fieldValue = fc.oneof(
  fc.uint8Array({ minLength: 1, maxLength: 12 }),
  fc
    .constantFrom(
      '00000001000\0',
      '77777777777\0',
      '0000000\0',
      '5',
      '1',
      '2',
      'x',
      'g',
      'L',
      'S',
      'V',
      'D',
      '\0',
      '../../x\0',
      'ustar  \0',
    )
    .map((s) => Buffer.from(s, 'latin1')),
  fc.constant(Uint8Array.from([0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0])),
  fc.constant(Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe])),
)
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), xor: fc.integer({ min: 1, max: 255 }) }),
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('field' as const),
      piece: fc.nat(),
      off: fc.nat(FIELDS.length - 1),
      value: fieldValue,
    }),
  },
  fc.record({
    kind: fc.constant('insert' as const),
    piece: fc.nat(),
    bytes: fc.oneof(
      fc.constant(new Uint8Array(BLOCK)),
      fc.constant(new Uint8Array(2 * BLOCK)),
      fc.uint8Array({ minLength: 1, maxLength: 40 }).map((b) => metaBlock('x', b)),
      fc.uint8Array({ minLength: BLOCK, maxLength: BLOCK }),
    ),
  }),
  fc.record({ kind: fc.constant('junk' as const), bytes: fc.uint8Array({ minLength: 1, maxLength: 1100 }) }),
)

const mutate = (pieces: readonly Piece[], ms: readonly Mutation[]): Uint8Array => {
  const ps: { bytes: Uint8Array; header: number }[] = pieces.map((p) => ({
    bytes: Uint8Array.from(p.bytes),
    header: p.header,
  }))
  let tail: Uint8Array = Uint8Array.from(END_OF_ARCHIVE)
  for (const m of ms) {
    if (ps.length === 0) break
    if (m.kind === 'field') {
      const p = ps[m.piece % ps.length]!
      const [off, len] = FIELDS[m.off]!
      const h = p.bytes.subarray(p.header, p.header + BLOCK)
      h.fill(0, off, off + len)
      h.set(m.value.subarray(0, len), off)
      fixChecksum(h)
    } else if (m.kind === 'insert') {
      const i = m.piece % ps.length
      ps.splice(i, 0, { bytes: m.bytes, header: 0 })
    } else if (m.kind === 'junk') tail = Buffer.concat([tail, m.bytes])
  }
  let out: Uint8Array = Buffer.concat([...ps.map((p) => p.bytes), tail])
  for (const m of ms) {
    if (m.kind === 'flip') out[m.at % out.length]! ^= m.xor
    if (m.kind === 'truncate') out = out.subarray(0, m.at % (out.length + 1))
  }
  return out
}

/** A random archive with up to `maxMutations` mutations (none: a valid tar); `mutations` tells how many were applied. */
export const fuzzTarArb = (maxMutations = 3): fc.Arbitrary<{ readonly tar: Uint8Array; readonly mutations: number }> =>
  fc
    .tuple(fc.array(pieceArb, { minLength: 1, maxLength: 7 }), fc.array(mutationArb, { maxLength: maxMutations }))
    .map(([pieces, ms]) => ({ tar: mutate(pieces, ms), mutations: ms.length }))
