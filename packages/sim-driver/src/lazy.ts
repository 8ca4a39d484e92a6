/**
 * Stand-ins for parts of the state kept in a state file (store/): a HAMT node or a file's
 * bytes, named by the file and the record's offset, read on first use. Records are written
 * once and never change, so a loaded node is cached on its stand-in, and a node known to be
 * stored (written or loaded) is never written again.
 */

/** Where stand-ins load from; `read` throws a `CorruptState` when the record is not valid. */
export interface Source {
  /** the one stand-in for the record at `off` while it is in use, so equal records stay one object */
  readonly ref: <N>(off: number) => Lazy<N>
  readonly node: (off: number) => unknown
  readonly bytes: (off: number, size: number) => Uint8Array
}

export interface Lazy<N> {
  readonly t: 3
  readonly src: Source
  readonly off: number
  node?: N
  /** the node's weight (hamt.ts), when its parent's record or a computation gave it */
  w?: number
}

export interface StoredBytes {
  readonly t: 4
  readonly src: Source
  readonly off: number
  readonly size: number
}

/** A state file record that does not decode, or a state that contradicts itself. */
export class CorruptState extends Error {}

interface Where {
  readonly src: Source
  readonly off: number
}
const stored = new WeakMap<object, Where>()

export const markStored = (x: object, src: Source, off: number): void => {
  stored.set(x, { src, off })
}

const whereOf = (x: object): Where | undefined =>
  (x as { t?: unknown }).t === 3 || (x as { t?: unknown }).t === 4 ? (x as Lazy<unknown>) : stored.get(x)

/** The offset of `x` in `src`, when it is stored there. */
export const storedIn = (x: object, src: Source): number | undefined => {
  const w = whereOf(x)
  return w !== undefined && w.src === src ? w.off : undefined
}

export const sameStored = (a: object, b: object): boolean => {
  const wa = whereOf(a)
  const wb = whereOf(b)
  return wa !== undefined && wb !== undefined && wa.src === wb.src && wa.off === wb.off
}

export const lazy = <N>(src: Source, off: number): Lazy<N> => src.ref(off)

/** Stand-ins by offset, held weakly. */
export const refCache = (src: Source): (<N>(off: number) => Lazy<N>) => {
  const refs = new Map<number, WeakRef<Lazy<unknown>>>()
  const gone = new FinalizationRegistry<number>((off) => {
    if (refs.get(off)?.deref() === undefined) refs.delete(off)
  })
  return <N>(off: number): Lazy<N> => {
    const have = refs.get(off)?.deref()
    if (have !== undefined) return have as Lazy<N>
    const l: Lazy<unknown> = { t: 3, src, off }
    refs.set(off, new WeakRef(l))
    gone.register(l, off)
    return l as Lazy<N>
  }
}

export const force = <N>(l: Lazy<N>): N => {
  if (l.node === undefined) {
    const n = l.src.node(l.off) as N
    markStored(n as object, l.src, l.off)
    l.node = n
  }
  return l.node
}

/** The bytes of a file's content. */
export const bytesOf = (c: Uint8Array | StoredBytes | null): Uint8Array =>
  c === null ? new Uint8Array(0) : c instanceof Uint8Array ? c : c.src.bytes(c.off, c.size)
