/**
 * The extended headers that describe the next entry, kept as raw bytes: PAX records of the
 * entry's own `x` header, the records of every `g` global header so far (they apply to all
 * following entries; a later one overrides a key, an empty value removes it), and GNU
 * `L`/`K` long names. A key of the entry's own header with an empty value reverts to the
 * ustar field, as POSIX says. Values are bytes: PAX `path` is UTF-8 by the standard, but
 * GNU tar writes a name's raw bytes there, and names are bytes (byte-names.ts).
 */
import * as E from 'fp-ts/lib/Either.js'
import { parsePaxRecords } from './pax-records.js'

/** Bytes of one extended header's data, and of all global records together (Go: 1 MiB). */
export const MAX_META_BYTES = 1 << 20

export interface EntryMeta {
  /** the effective PAX value of `key` for this entry, undefined when none (or reverted) */
  readonly pax: (key: string) => Uint8Array | undefined
  /** every effective key starting with `prefix`, with its value (global first, own records win) */
  readonly paxWithPrefix: (prefix: string) => ReadonlyArray<readonly [string, Uint8Array]>
  readonly longName: Uint8Array | undefined
  readonly longLink: Uint8Array | undefined
  /** why an extended header before the entry did not parse, if one did not */
  readonly malformed: string | undefined
}

/** What an entry with no extended header before it (and no global records) has: the common case, shared. */
const NONE: EntryMeta = {
  pax: () => undefined,
  paxWithPrefix: () => [],
  longName: undefined,
  longLink: undefined,
  malformed: undefined,
}

export class MetaState {
  private readonly global = new Map<string, Uint8Array>()
  private globalBytes = 0
  private local: Map<string, Uint8Array> | undefined
  private longName: Uint8Array | undefined
  private longLink: Uint8Array | undefined
  private malformed: string | undefined

  /** True when an `x`, `L` or `K` header waits for its entry. */
  get pending(): boolean {
    return this.local !== undefined || this.longName !== undefined || this.longLink !== undefined
  }

  /** A `g` or `x` header's data; one that does not parse (or is too big) is reported with the next entry. */
  addPax(data: Uint8Array, global: boolean): void {
    if (!global) this.local ??= new Map()
    const recs = parsePaxRecords(data)
    if (E.isLeft(recs)) {
      this.malformed ??= recs.left
      return
    }
    if (this.local !== undefined && !global) {
      for (const r of recs.right) this.local.set(r.key, r.value)
      return
    }
    for (const r of recs.right) {
      const old = this.global.get(r.key)
      if (old !== undefined) this.globalBytes -= r.key.length + old.length
      if (r.value.length === 0) this.global.delete(r.key)
      else {
        this.global.set(r.key, r.value)
        this.globalBytes += r.key.length + r.value.length
      }
    }
    if (this.globalBytes > MAX_META_BYTES) this.malformed ??= `global PAX records exceed ${MAX_META_BYTES} bytes`
  }

  /** GNU `L` (long name) or `K` (long link target) data: the name is the bytes up to the first NUL. */
  addLong(data: Uint8Array, link: boolean): void {
    const nul = data.indexOf(0)
    const name = Uint8Array.from(nul === -1 ? data : data.subarray(0, nul))
    if (link) this.longLink = name
    else this.longName = name
  }

  /** What applies to the entry that follows; the entry's own headers are then forgotten. */
  take(): EntryMeta {
    if (!this.pending && this.malformed === undefined && this.global.size === 0) return NONE
    const local = this.local ?? new Map<string, Uint8Array>()
    const global = this.global // read before the next header can change it
    const out: EntryMeta = {
      pax: (key) => {
        const own = local.get(key)
        if (own !== undefined) return own.length === 0 ? undefined : own
        return global.get(key)
      },
      paxWithPrefix: (prefix) => {
        const all = new Map<string, Uint8Array>()
        for (const m of [global, local]) for (const [k, v] of m) if (k.startsWith(prefix)) all.set(k, v)
        return [...all.entries()]
      },
      longName: this.longName,
      longLink: this.longLink,
      malformed: this.malformed,
    }
    this.local = undefined
    this.longName = undefined
    this.longLink = undefined
    this.malformed = undefined
    return out
  }
}
