/**
 * HAMT nodes and znodes as records (v8-serialized plain values): a branch lists its children
 * by record offset, except leaves holding a plain value (directory entries), kept inline, and
 * each child's weight (the bytes of the regular files below it); a znode's directory entries
 * are a HAMT root offset and its content a separate bytes record.
 * Writing is post-order and skips every node and content already stored in the file, so a
 * commit writes only what the call created.
 */
import * as v8 from 'node:v8'
import * as H from '../hamt.js'
import { bytesOf, CorruptState, force, lazy, markStored, storedIn, type Source, type StoredBytes } from '../lazy.js'
import { fileBytes, znode, type ObjSet, type Znode } from '../objset.js'
import { frame, KIND, RECORD_HEAD, type Kind } from './format.js'

type AnyNode = H.Node<H.Key, unknown>

/** Records to append at `end`, each given its offset as it is added. */
export class Batch {
  readonly bufs: Buffer[] = []
  constructor(
    readonly src: Source,
    public end: number,
  ) {}
  add(kind: Kind, payload: Uint8Array): number {
    const off = this.end
    this.bufs.push(...frame(kind, payload))
    this.end += RECORD_HEAD + payload.length
    return off
  }
}

const isZnode = (v: unknown): v is Znode => typeof v === 'object' && v !== null && 'obj' in v

const encContent = (b: Batch, c: Uint8Array | StoredBytes | null): null | 0 | [number, number] => {
  if (c === null) return null
  const at = storedIn(c, b.src)
  if (at !== undefined) return [at, c instanceof Uint8Array ? c.length : c.size]
  const bytes = bytesOf(c)
  if (bytes.length === 0) return 0
  const off = b.add(KIND.bytes, bytes)
  markStored(bytes, b.src, off)
  return [off, bytes.length]
}

const encZnode = (b: Batch, z: Znode): unknown => ({
  ...z,
  entries: z.entries === null ? null : [z.entries.root === null ? null : writeNode(b, z.entries.root), z.entries.size],
  content: encContent(b, z.content),
})

const encValue = (b: Batch, v: unknown): unknown => (isZnode(v) ? encZnode(b, v) : v)

/** Writes `n` and whatever below it is not stored yet; returns its offset. */
export const writeNode = (b: Batch, n: AnyNode): number => {
  const known = storedIn(n, b.src)
  if (known !== undefined) return known
  const node = n.t === 3 ? force(n) : n
  const rec =
    node.t === 2
      ? {
          t: 2,
          b: node.bitmap,
          k: node.kids.map((kid) => (kid.t === 0 && !isZnode(kid.v) ? [kid.h, kid.k, kid.v] : writeNode(b, kid))),
          s: node.kids.map((kid) => H.weight(kid, fileBytes)),
        }
      : node.t === 1
        ? { t: 1, h: node.h, i: node.items.map((l) => [l.k, encValue(b, l.v)]) }
        : { t: 0, h: node.h, k: node.k, v: encValue(b, node.v) }
  const off = b.add(KIND.node, v8.serialize(rec))
  markStored(node, b.src, off)
  return off
}

export type ObjSetRef = readonly [number | null, number, number]

export const writeObjSet = (b: Batch, os: ObjSet): ObjSetRef => [
  os.objects.root === null ? null : writeNode(b, os.objects.root),
  os.objects.size,
  os.rootObj,
]

const decZnode = (src: Source, z: Record<string, unknown>): Znode => {
  const e = z['entries'] as [number | null, number] | null
  const c = z['content'] as null | 0 | [number, number]
  return znode({
    ...(z as unknown as Znode),
    entries: e === null ? null : { root: e[0] === null ? null : lazy(src, e[0]), size: e[1] },
    content: c === null ? null : c === 0 ? new Uint8Array(0) : { t: 4, src, off: c[0], size: c[1] },
  })
}

const decValue = (src: Source, v: unknown): unknown =>
  typeof v === 'object' && v !== null ? decZnode(src, v as Record<string, unknown>) : v

export const decodeNode = (src: Source, off: number, payload: Buffer): AnyNode => {
  let rec: { t?: unknown; b?: unknown; k?: unknown; s?: unknown; h?: unknown; i?: unknown; v?: unknown }
  try {
    rec = v8.deserialize(payload) as typeof rec
  } catch (e) {
    throw new CorruptState(`node at offset ${off}: ${String(e)}`)
  }
  if (rec.t === 2 && typeof rec.b === 'number' && Array.isArray(rec.k)) {
    // the children's weights: a record written before they were kept has none (computed on use)
    const ws = Array.isArray(rec.s) && rec.s.length === rec.k.length ? (rec.s as unknown[]) : []
    return {
      t: 2,
      bitmap: rec.b,
      kids: rec.k.map((x: unknown, i) => {
        if (typeof x !== 'number')
          return { t: 0, h: (x as unknown[])[0] as number, k: (x as unknown[])[1] as H.Key, v: (x as unknown[])[2] }
        const kid = lazy<H.Loaded<H.Key, unknown>>(src, x)
        if (typeof ws[i] === 'number') kid.w = ws[i]
        return kid
      }),
    }
  }
  if (rec.t === 1 && typeof rec.h === 'number' && Array.isArray(rec.i)) {
    const h = rec.h
    return { t: 1, h, items: rec.i.map(([k, v]: [H.Key, unknown]) => ({ t: 0 as const, h, k, v: decValue(src, v) })) }
  }
  if (rec.t === 0 && typeof rec.h === 'number') return { t: 0, h: rec.h, k: rec.k as H.Key, v: decValue(src, rec.v) }
  throw new CorruptState(`node at offset ${off}: not a tree node`)
}

export const readObjSet = (src: Source, r: ObjSetRef): ObjSet => ({
  objects: { root: r[0] === null ? null : lazy(src, r[0]), size: r[1] },
  rootObj: r[2],
})
