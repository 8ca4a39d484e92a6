/**
 * The reference overlay: a plain map from path to object, with the OCI rules written out the
 * obvious way, to check applyLayer against. It only knows paths that cross no symlink: the
 * `legalize` pass drops entries whose parent crosses a symlink or a non-directory and links
 * that could not apply, and inserts the missing parent directories (so no directory is ever
 * created implicitly). What it cannot know, it marks: a directory whose entries changed in a
 * layer that did not carry it gets an unknown mtime.
 */
import fc from 'fast-check'
import type { DumpNode } from './apply-tar.js'
import type { FixtureEntry } from './apply-tar.js'

interface Obj {
  type: 'F' | '/' | '@'
  mode: number
  uid: number
  gid: number
  mtimeMs: number | undefined
  content: string
  target: string
}
export interface Model {
  readonly paths: Map<string, number>
  readonly objs: Map<number, Obj>
  next: number
}

export const emptyModel = (): Model => ({
  paths: new Map([['', 0]]),
  objs: new Map([[0, { type: '/', mode: 0o755, uid: 0, gid: 0, mtimeMs: undefined, content: '', target: '' }]]),
  next: 1,
})
export const copyModel = (m: Model): Model => ({
  paths: new Map(m.paths),
  objs: new Map([...m.objs].map(([k, o]) => [k, { ...o }])),
  next: m.next,
})

const parentOf = (p: string): string => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '')
const under = (p: string, d: string): boolean => p === d || p.startsWith(`${d}/`)
const typeOf = (m: Model, p: string): Obj['type'] | undefined => {
  const id = m.paths.get(p)
  return id === undefined ? undefined : m.objs.get(id)!.type
}

/** Applies one layer to the model, returning the entries that are legal to give applyLayer. */
export const applyToModel = (m: Model, raw: readonly FixtureEntry[]): FixtureEntry[] => {
  const legal: FixtureEntry[] = []
  const layer = new Set<string>()
  const carried = new Set<string>() // directories with an entry in this layer
  const touched = new Set<string>() // directories whose entries changed
  const mark = (p: string): void => {
    layer.add(p)
    for (let a = parentOf(p); a !== ''; a = parentOf(a)) layer.add(a)
  }
  const removeAt = (p: string): void => {
    for (const q of [...m.paths.keys()]) if (q !== '' && under(q, p)) m.paths.delete(q)
    touched.add(parentOf(p))
  }
  const hide = (p: string): void => {
    for (const q of [...m.paths.keys()].sort())
      if (q !== '' && under(q, p) && m.paths.has(q) && !layer.has(q)) removeAt(q)
  }
  const put = (p: string, o: Obj): void => {
    const id = m.next++
    m.objs.set(id, o)
    m.paths.set(p, id)
    touched.add(parentOf(p))
    mark(p)
  }
  /** the parent chain exists as directories (inserting entries for missing ones), or the entry is dropped */
  const parentsOk = (p: string, e: FixtureEntry): boolean => {
    const parts = p.split('/')
    for (let i = 1; i < parts.length; i++) {
      const a = parts.slice(0, i).join('/')
      const t = typeOf(m, a)
      if (t === undefined) {
        const d: FixtureEntry = { name: `${a}/`, type: 'directory', mode: 0o755, mtimeMs: e.mtimeMs ?? 0 }
        legal.push(d)
        put(a, { type: '/', mode: 0o755, uid: 0, gid: 0, mtimeMs: d.mtimeMs, content: '', target: '' })
        carried.add(a)
      } else if (t !== '/') return false
    }
    return true
  }
  for (const e of raw) {
    const p = e.name.replace(/\/$/, '')
    const base = p.slice(p.lastIndexOf('/') + 1)
    if (base === '.wh..wh..opq' || base.startsWith('.wh.')) {
      const dir = parentOf(p)
      if (dir !== '' && typeOf(m, dir) !== '/') {
        if (typeOf(m, dir) === undefined || !parentsOk(dir, e)) continue
      }
      if (!parentsOk(p, e)) continue
      legal.push(e)
      if (base === '.wh..wh..opq') {
        for (const q of [...m.paths.keys()]) if (q !== '' && parentOf(q) === dir) hide(q)
      } else hide(`${dir === '' ? '' : `${dir}/`}${base.slice(4)}`)
      continue
    }
    if (!parentsOk(p, e)) continue
    const type = e.type ?? 'file'
    const existing = m.paths.get(p)
    if (type === 'link') {
      const t = e.linkname!
      const tid = m.paths.get(t)
      if (tid === undefined || m.objs.get(tid)!.type === '/' || under(t, p) || !parentChainIsDirs(m, t)) continue
      legal.push(e)
      if (existing === tid) {
        mark(p)
        continue
      }
      if (existing !== undefined) removeAt(p)
      m.paths.set(p, tid)
      touched.add(parentOf(p))
      mark(p)
      continue
    }
    legal.push(e)
    const meta = {
      mode: e.mode ?? (type === 'directory' ? 0o755 : 0o644),
      uid: e.uid ?? 0,
      gid: e.gid ?? 0,
      mtimeMs: e.mtimeMs,
    }
    if (type === 'directory') {
      carried.add(p)
      if (existing !== undefined && m.objs.get(existing)!.type === '/') {
        Object.assign(m.objs.get(existing)!, meta)
        mark(p)
        continue
      }
      if (existing !== undefined) removeAt(p)
      put(p, { type: '/', ...meta, content: '', target: '' })
    } else {
      if (existing !== undefined) removeAt(p)
      put(
        p,
        type === 'symlink'
          ? { type: '@', ...meta, mode: 0, content: '', target: e.linkname! }
          : { type: 'F', ...meta, content: typeof e.body === 'string' ? e.body : '', target: '' },
      )
    }
  }
  for (const d of touched) {
    const id = m.paths.get(d)
    if (id !== undefined && !carried.has(d) && m.objs.get(id)!.type === '/') m.objs.get(id)!.mtimeMs = undefined
  }
  for (const id of [...m.objs.keys()]) if (![...m.paths.values()].includes(id)) m.objs.delete(id)
  return legal
}

const parentChainIsDirs = (m: Model, p: string): boolean => {
  for (let a = parentOf(p); a !== ''; a = parentOf(a)) if (typeOf(m, a) !== '/') return false
  return true
}

/** The model as dumpTree shows a tree: directory mtimes the model does not know are 0 on both sides. */
export const dumpModel = (m: Model): Record<string, Omit<DumpNode, 'rdev'>> => {
  const out: Record<string, Omit<DumpNode, 'rdev'>> = {}
  const first = new Map<number, string>()
  const sorted = [...m.paths].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b)))
  for (const [p, id] of sorted) if (m.objs.get(id)!.type !== '/' && !first.has(id)) first.set(id, p)
  for (const [p, id] of sorted) {
    const o = m.objs.get(id)!
    out[p === '' ? '.' : p] = {
      type: o.type,
      mode: o.mode,
      uid: o.uid,
      gid: o.gid,
      mtimeMs: o.mtimeMs ?? 0,
      link: o.type === '/' ? '' : first.get(id)!,
      ...(o.type === 'F' ? { content: o.content } : {}),
      ...(o.type === '@' ? { target: o.target } : {}),
    }
  }
  return out
}

/** Directories of a model whose mtime it does not know. */
export const unknownMtimes = (m: Model): string[] =>
  [...m.paths]
    .filter(([, id]) => m.objs.get(id)!.type === '/' && m.objs.get(id)!.mtimeMs === undefined)
    .map(([p]) => (p === '' ? '.' : p))

const NAMES = ['a', 'b', 'c']
const pathArb = fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('/'))
const metaArb = fc.record({
  mtimeMs: fc.integer({ min: 1_000_000, max: 2_000_000 }).map((s) => s * 1000),
  uid: fc.constantFrom(0, 1000),
  gid: fc.constantFrom(0, 100),
})
const join = (d: string, n: string): string => (d === '' ? n : `${d}/${n}`)

/** One random layer entry: files, directories, symlinks, hard links, whiteouts, opaque markers. */
export const entryArb: fc.Arbitrary<FixtureEntry> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .tuple(pathArb, fc.constantFrom('', 'x', 'hello', 'other'), fc.constantFrom(0o644, 0o4755, 0o600), metaArb)
      .map(([p, body, mode, m]) => ({ name: p, body, mode, ...m })),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(pathArb, fc.constantFrom(0o755, 0o700, 0o1777), metaArb)
      .map(([p, mode, m]) => ({ name: `${p}/`, type: 'directory' as const, mode, ...m })),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(pathArb, fc.constantFrom('a', '../b', '/c/a', 'nowhere'), metaArb)
      .map(([p, t, m]) => ({ name: p, type: 'symlink' as const, linkname: t, ...m })),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(pathArb, pathArb).map(([p, t]) => ({ name: p, type: 'link' as const, linkname: t })),
  },
  {
    weight: 2,
    arbitrary: pathArb.map((p) => ({
      name: join(p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '', `.wh.${p.slice(p.lastIndexOf('/') + 1)}`),
    })),
  },
  { weight: 1, arbitrary: fc.option(pathArb, { nil: '' }).map((d) => ({ name: join(d, '.wh..wh..opq') })) },
)
