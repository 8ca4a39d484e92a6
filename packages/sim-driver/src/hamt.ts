/**
 * A small persistent hash array mapped trie (HAMT). Every update returns a new map that
 * shares all untouched subtrees with the old one (path copying), so keeping an old root is
 * an O(1) snapshot, and two maps derived from each other can be compared in time
 * proportional to their differences (`diffMaps` prunes subtrees that are the same reference).
 *
 * A node may be a `Lazy` stand-in for one kept in a state file (store/), loaded on first use;
 * two nodes are the same when they are one object or stand for the same stored node.
 * Keys are numbers (hashed as themselves) or strings (FNV-1a); values compare by reference.
 */
import { force, sameStored, type Lazy } from './lazy.js'

export type Key = number | string

export interface Leaf<K, V> {
  readonly t: 0
  readonly h: number
  readonly k: K
  readonly v: V
}
export interface Collision<K, V> {
  readonly t: 1
  readonly h: number
  readonly items: readonly Leaf<K, V>[]
}
export interface Branch<K, V> {
  readonly t: 2
  readonly bitmap: number
  readonly kids: readonly Node<K, V>[]
  /** the weight of its entries, once computed (`weight`) */
  w?: number
}
export type Loaded<K, V> = Leaf<K, V> | Collision<K, V> | Branch<K, V>
export type Node<K, V> = Loaded<K, V> | Lazy<Loaded<K, V>>
const load = <K, V>(n: Node<K, V>): Loaded<K, V> => (n.t === 3 ? force(n) : n)
const same = <K, V>(a: Node<K, V> | null, b: Node<K, V> | null): boolean =>
  a === b || (a !== null && b !== null && sameStored(a, b))

export interface Hamt<K extends Key, V> {
  readonly root: Node<K, V> | null
  readonly size: number
}

const BITS = 5
const MASK = 31

const strHash = (s: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}
/** The hash a key is placed by: a number as itself, a string by FNV-1a. */
export const hashOf = (k: Key): number => (typeof k === 'number' ? k >>> 0 : strHash(k))
const frag = (h: number, shift: number): number => (h >>> shift) & MASK
const popcount = (x: number): number => {
  x -= (x >>> 1) & 0x55555555
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333)
  return Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24
}
const index = (bitmap: number, bit: number): number => popcount(bitmap & (bit - 1))

export const empty = <K extends Key, V>(): Hamt<K, V> => ({ root: null, size: 0 })

/** The value of `k` (hash `h`) in the subtree `from` at depth `shift`. */
const lookup = <K, V>(from: Node<K, V> | null, shift: number, h: number, k: K): V | undefined => {
  let node = from === null ? null : load(from)
  while (node !== null) {
    if (node.t === 0) return node.h === h && node.k === k ? node.v : undefined
    if (node.t === 1) return node.h === h ? node.items.find((l) => l.k === k)?.v : undefined
    const bit = 1 << frag(h, shift)
    if ((node.bitmap & bit) === 0) return undefined
    node = load(node.kids[index(node.bitmap, bit)]!)
    shift += BITS
  }
  return undefined
}

export const get = <K extends Key, V>(m: Hamt<K, V>, k: K): V | undefined => lookup(m.root, 0, hashOf(k), k)

export const has = <K extends Key, V>(m: Hamt<K, V>, k: K): boolean => get(m, k) !== undefined

const merge = <K, V>(a: Leaf<K, V> | Collision<K, V>, b: Leaf<K, V>, shift: number): Node<K, V> => {
  const fa = frag(a.h, shift)
  const fb = frag(b.h, shift)
  if (fa === fb) return { t: 2, bitmap: 1 << fa, kids: [merge(a, b, shift + BITS)] }
  return { t: 2, bitmap: (1 << fa) | (1 << fb), kids: fa < fb ? [a, b] : [b, a] }
}

const insert = <K, V>(lazy: Node<K, V> | null, shift: number, leaf: Leaf<K, V>, added: { n: number }): Node<K, V> => {
  if (lazy === null) {
    added.n = 1
    return leaf
  }
  const node = load(lazy)
  if (node.t === 0) {
    if (node.h !== leaf.h) {
      added.n = 1
      return merge(node, leaf, shift)
    }
    if (node.k === leaf.k) return node.v === leaf.v ? lazy : leaf
    added.n = 1
    return { t: 1, h: leaf.h, items: [node, leaf] }
  }
  if (node.t === 1) {
    if (node.h !== leaf.h) {
      added.n = 1
      return merge(node, leaf, shift)
    }
    const i = node.items.findIndex((l) => l.k === leaf.k)
    if (i < 0) {
      added.n = 1
      return { t: 1, h: node.h, items: [...node.items, leaf] }
    }
    if (node.items[i]!.v === leaf.v) return lazy
    const items = node.items.slice()
    items[i] = leaf
    return { t: 1, h: node.h, items }
  }
  const bit = 1 << frag(leaf.h, shift)
  const i = index(node.bitmap, bit)
  if ((node.bitmap & bit) === 0) {
    added.n = 1
    const kids = node.kids.slice()
    kids.splice(i, 0, leaf)
    return { t: 2, bitmap: node.bitmap | bit, kids }
  }
  const kid = node.kids[i]!
  const next = insert(kid, shift + BITS, leaf, added)
  if (next === kid) return lazy
  const kids = node.kids.slice()
  kids[i] = next
  return { t: 2, bitmap: node.bitmap, kids }
}

export const set = <K extends Key, V>(m: Hamt<K, V>, k: K, v: V): Hamt<K, V> => {
  const added = { n: 0 }
  const root = insert(m.root, 0, { t: 0, h: hashOf(k), k, v }, added)
  return root === m.root ? m : { root, size: m.size + added.n }
}

const removeFrom = <K, V>(lazy: Node<K, V>, shift: number, h: number, k: K): Node<K, V> | null => {
  const node = load(lazy)
  if (node.t === 0) return node.h === h && node.k === k ? null : lazy
  if (node.t === 1) {
    if (node.h !== h) return lazy
    const items = node.items.filter((l) => l.k !== k)
    if (items.length === node.items.length) return lazy
    return items.length === 1 ? items[0]! : { t: 1, h, items }
  }
  const bit = 1 << frag(h, shift)
  if ((node.bitmap & bit) === 0) return lazy
  const i = index(node.bitmap, bit)
  const kid = node.kids[i]!
  const next = removeFrom(kid, shift + BITS, h, k)
  if (next === kid) return lazy
  if (next === null) {
    if (node.kids.length === 1) return null
    const kids = node.kids.filter((_, j) => j !== i)
    if (kids.length === 1 && load(kids[0]!).t !== 2) return kids[0]!
    return { t: 2, bitmap: node.bitmap & ~bit, kids }
  }
  if (node.kids.length === 1 && load(next).t !== 2) return next
  const kids = node.kids.slice()
  kids[i] = next
  return { t: 2, bitmap: node.bitmap, kids }
}

export const remove = <K extends Key, V>(m: Hamt<K, V>, k: K): Hamt<K, V> => {
  if (m.root === null) return m
  const root = removeFrom(m.root, 0, hashOf(k), k)
  return root === m.root ? m : { root, size: m.size - 1 }
}

function* walk<K, V>(lazy: Node<K, V> | null): Generator<[K, V]> {
  if (lazy === null) return
  const node = load(lazy)
  if (node.t === 0) yield [node.k, node.v]
  else if (node.t === 1) for (const l of node.items) yield [l.k, l.v]
  else for (const kid of node.kids) yield* walk(kid)
}

export const entries = <K extends Key, V>(m: Hamt<K, V>): Iterable<[K, V]> => walk(m.root)

export const fromEntries = <K extends Key, V>(es: Iterable<readonly [K, V]>): Hamt<K, V> => {
  let m = empty<K, V>()
  for (const [k, v] of es) m = set(m, k, v)
  return m
}

const diffNodes = <K, V>(
  la: Node<K, V> | null,
  lb: Node<K, V> | null,
  shift: number,
  onDiff: (k: K, from: V | undefined, to: V | undefined) => void,
): void => {
  if (same(la, lb)) return
  const a = la === null ? null : load(la)
  const b = lb === null ? null : load(lb)
  if (a !== null && b !== null && a.t === 2 && b.t === 2) {
    const all = a.bitmap | b.bitmap
    for (let f = 0; f < 32; f++) {
      const bit = 1 << f
      if ((all & bit) === 0) continue
      const ka = (a.bitmap & bit) !== 0 ? a.kids[index(a.bitmap, bit)]! : null
      const kb = (b.bitmap & bit) !== 0 ? b.kids[index(b.bitmap, bit)]! : null
      diffNodes(ka, kb, shift + BITS, onDiff)
    }
    return
  }
  // One side is a leaf or a collision (a few entries): compare the two subtrees' entries.
  const ma = new Map(walk(a))
  const mb = new Map(walk(b))
  for (const [k, va] of ma) {
    const vb = mb.get(k)
    if (vb !== va) onDiff(k, va, vb)
  }
  for (const [k, vb] of mb) if (!ma.has(k)) onDiff(k, undefined, vb)
}

/** Calls `onDiff` for every key whose value differs (by reference) between `a` and `b`. */
export const diffMaps = <K extends Key, V>(
  a: Hamt<K, V>,
  b: Hamt<K, V>,
  onDiff: (k: K, from: V | undefined, to: V | undefined) => void,
): void => diffNodes(a.root, b.root, 0, onDiff)

/**
 * What a subtree weighs: the sum of `measure` over its entries. Branches and stored nodes
 * cache it (a stored branch's record gives its children's), so it assumes one measure for
 * every map whose weight is asked (space.ts: the bytes of regular files).
 */
export const weight = <K, V>(n: Node<K, V> | null, measure: (v: V) => number): number => {
  if (n === null) return 0
  if (n.t === 3) return (n.w ??= weight(force(n), measure))
  if (n.t === 0) return measure(n.v)
  if (n.t === 1) return n.items.reduce((s, l) => s + measure(l.v), 0)
  if (n.w === undefined) {
    let s = 0
    for (const kid of n.kids) s += kid.t === 0 ? measure(kid.v) : weight(kid, measure)
    n.w = s
  }
  return n.w
}

const weighNodes = <K, V>(
  la: Node<K, V> | null,
  lb: Node<K, V> | null,
  shift: number,
  measure: (v: V) => number,
  kept: (from: V | undefined, to: V) => boolean,
): number => {
  if (lb === null || same(la, lb)) return 0
  if (la === null) return weight(lb, measure)
  const a = load(la)
  const b = load(lb)
  // A side that is a leaf or a collision holds a few entries: look them up in the other.
  if (a.t !== 2) {
    let n = weight(b, measure)
    for (const l of a.t === 0 ? [a] : a.items) {
      const vb = lookup(b, shift, l.h, l.k)
      if (vb !== undefined && kept(l.v, vb)) n -= measure(vb)
    }
    return n
  }
  if (b.t !== 2) {
    let n = 0
    for (const l of b.t === 0 ? [b] : b.items) if (!kept(lookup(a, shift, l.h, l.k), l.v)) n += measure(l.v)
    return n
  }
  let n = 0
  for (let f = 0; f < 32; f++) {
    const bit = 1 << f
    if ((b.bitmap & bit) === 0) continue
    const ka = (a.bitmap & bit) !== 0 ? a.kids[index(a.bitmap, bit)]! : null
    n += weighNodes(ka, b.kids[index(b.bitmap, bit)]!, shift + BITS, measure, kept)
  }
  return n
}

/**
 * The weight of the entries of `b` that `kept` does not find in `a` (`kept(a's value or
 * undefined, b's value)`; it must hold for one value and itself and fail for undefined), in
 * time proportional to the differences: a subtree `a` has nothing of weighs whole.
 */
export const weighDiff = <K extends Key, V>(
  a: Hamt<K, V>,
  b: Hamt<K, V>,
  measure: (v: V) => number,
  kept: (from: V | undefined, to: V) => boolean,
): number => weighNodes(a.root, b.root, 0, measure, kept)
