/** The fake zfs's state and its read side: `list`, `get` and the mount table, with zfs's output formats. */
import { lstatSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { ExecResult } from '../src/index.js'

export interface Rec {
  readonly props: Map<string, string>
  origin: string | null
  readonly txg: number
}
/** datasets and snapshots by name */
export type Fs = Map<string, Rec>

export const done = (stdout = ''): ExecResult => ({ code: 0, stdout: Buffer.from(stdout), stderr: '' })
export const fail = (stderr: string): ExecResult => ({ code: 1, stdout: Buffer.alloc(0), stderr: `${stderr}\n` })
export const dsOf = (n: string): string => n.split('@')[0]!
export const parentOf = (n: string): string => n.slice(0, Math.max(0, n.lastIndexOf('/')))
export const under = (n: string, ds: string): boolean => n === ds || n.startsWith(`${ds}/`) || n.startsWith(`${ds}@`)

export const missing = (n: string): ExecResult => fail(`cannot open '${n}': dataset does not exist`)
export const sortedUnder = (all: Fs, ds: string): string[] => [...all.keys()].filter((n) => under(n, ds)).sort()

/** A name's user properties with their zfs source texts: local, then inherited along its parents. */
const effectiveOf = (all: Fs, name: string): Map<string, [string, string]> => {
  const out = new Map<string, [string, string]>()
  for (let n: string = name, local = true; n !== ''; n = n.includes('@') ? dsOf(n) : parentOf(n), local = false)
    for (const [k, v] of all.get(n)!.props) if (!out.has(k)) out.set(k, [v, local ? 'local' : `inherited from ${n}`])
  return out
}

/** `list` and `get`: flags, then (get) the property list, then the names. */
export const query = (all: Fs, mp: (ds: string) => string, verb: string, a: string[]): ExecResult => {
  const o: Record<string, string> = {}
  const pos: string[] = []
  for (let i = 0; i < a.length; i++) {
    if (['-o', '-t', '-s'].includes(a[i]!)) o[a[i]!] = a[++i]!
    else if (a[i]!.startsWith('-')) o[a[i]!] = ''
    else pos.push(a[i]!)
  }
  const what = verb === 'get' ? pos.shift()! : ''
  for (const n of pos) if (!all.has(n)) return missing(n)
  const rows = '-r' in o ? sortedUnder(all, pos[0]!) : pos
  if (verb === 'list' && o['-o'] === 'name') return done(rows.map((n) => `${n}\n`).join(''))
  if (verb === 'list') return done(rows.map((n) => listRowOf(all, n)).join(''))
  if (what === 'mountpoint,mounted') return done(rows.map((n) => mountRowsOf(mp, n)).join(''))
  if (what === 'used,referenced,written,available')
    return done(
      rows
        .filter((n) => o['-t'] !== 'filesystem' || !n.includes('@'))
        .map((n) => spaceRowsOf(mp(n), n))
        .join(''),
    )
  const lines = rows.flatMap((n) => {
    const props = [...effectiveOf(all, n)].filter(([k]) => what === 'all' || k === what)
    if (props.length === 0 && what !== 'all') return [`${n}\t${what}\t-\t-\n`]
    return props.map(([k, [v, src]]) => `${n}\t${k}\t${v}\t${src}\n`)
  })
  return done(lines.join(''))
}
const listRowOf = (all: Fs, n: string): string => {
  const r = all.get(n)!
  const snap = n.includes('@')
  const clones = [...all].filter(([, c]) => c.origin === n).map(([c]) => c)
  return `${n}\t${snap ? 'snapshot' : 'filesystem'}\t${r.origin ?? '-'}\t${r.txg}\t${snap ? clones.join(',') : '-'}\n`
}
const mountRowsOf = (mp: (ds: string) => string, n: string): string =>
  n.includes('@')
    ? `${n}\tmountpoint\t-\t-\n${n}\tmounted\t-\t-\n`
    : `${n}\tmountpoint\t${mp(n)}\tdefault\n${n}\tmounted\tyes\t-\n`

/** Bytes of the regular files under `dir` (not its .zfs). */
const bytesUnder = (dir: string): number =>
  readdirSync(dir).reduce((n, e) => {
    if (e === '.zfs') return n
    const st = lstatSync(join(dir, e))
    return n + (st.isDirectory() ? bytesUnder(join(dir, e)) : st.isFile() ? st.size : 0)
  }, 0)

/** Space rows: referenced is the file bytes; used the same (the fake shares nothing); a TiB available. */
const spaceRowsOf = (dir: string, n: string): string => {
  const b = bytesUnder(dir)
  return [`used\t${b}`, `referenced\t${b}`, 'written\t0', `available\t${2 ** 40}`]
    .map((r) => `${n}\t${r}\t-\n`)
    .join('')
}

/** A mountinfo text with every filesystem mounted at `mp(name)`. */
export const mountTableOf = async (all: Fs, mp: (ds: string) => string): Promise<string> =>
  [...all.keys()]
    .filter((n) => !n.includes('@'))
    .map((n, i) => `${i + 1} 1 0:${i + 1} / ${mp(n).replace(/ /g, '\\040')} rw - zfs ${n.replace(/ /g, '\\040')} rw\n`)
    .join('')
