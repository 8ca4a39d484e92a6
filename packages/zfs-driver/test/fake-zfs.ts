/**
 * A fake `zfs` with state, for counting the processes a store runs: datasets are host
 * directories under `root` (mounted at `<root>/<name>`, as inherited mountpoints would be),
 * a snapshot is a copy in `<mountpoint>/.zfs/snapshot/<s>`, a clone a copy of its origin's.
 * It answers the argv the driver builds for what the store uses (no promote, no recursive
 * snapshot) with zfs's output and error texts, and `zpool sync`; any other argv throws. `calls` records each argv.
 */
import { cpSync, mkdirSync, renameSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { ExecResult, Executor, MountTable } from '../src/index.js'
import { diffText } from './fake-zfs-diff.js'
import {
  done,
  dsOf,
  fail,
  missing,
  mountTableOf,
  parentOf,
  query,
  type Rec,
  sortedUnder,
  under,
} from './fake-zfs-query.js'

export interface FakeZfs {
  readonly exec: Executor
  readonly mountTable: MountTable
  /** every argv run, in order */
  readonly calls: string[][]
}

/** A fake zfs holding the pool `pool` (an empty filesystem) under the host directory `root`. */
export const fakeZfs = (root: string, pool = 'p'): FakeZfs => {
  const all = new Map<string, Rec>()
  let txg = 1
  const calls: string[][] = []
  const mp = (ds: string): string => join(root, ds)
  const snapDir = (s: string): string => join(mp(dsOf(s)), '.zfs', 'snapshot', s.split('@')[1]!)
  const add = (name: string, props: Map<string, string>, origin: string | null = null): void => {
    all.set(name, { props, origin, txg: txg++ })
  }
  const opts = (args: string[]): Map<string, string> => {
    const props = new Map<string, string>()
    while (args[0] === '-o') {
      const kv = args[1]!
      props.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1))
      args.splice(0, 2)
    }
    return props
  }
  // through a staging directory: a snapshot's copy lands inside the directory it copies
  const copy = (from: string, to: string, skip: (rel: string) => boolean): void => {
    const staging = join(root, `.staging-${txg}`)
    cpSync(from, staging, {
      recursive: true,
      verbatimSymlinks: true,
      preserveTimestamps: true,
      filter: (src) => !skip(src.slice(from.length + 1)),
    })
    mkdirSync(dirname(to), { recursive: true })
    renameSync(staging, to)
  }
  const sorted = (ds: string): string[] => sortedUnder(all, ds)

  const command = (a: string[]): ExecResult => {
    const verb = a.shift()
    const flag = (f: string): boolean => (a[0] === f ? (a.shift(), true) : false)
    switch (verb) {
      case 'create': {
        flag('-p')
        const props = opts(a)
        const [n] = a as [string]
        if (all.has(n)) return fail(`cannot create '${n}': dataset already exists`)
        if (!all.has(parentOf(n))) return fail(`cannot create '${n}': parent does not exist`)
        mkdirSync(mp(n), { recursive: true })
        return (add(n, props), done())
      }
      case 'snapshot': {
        const props = opts(a)
        const [s] = a as [string]
        if (!all.has(dsOf(s))) return missing(dsOf(s))
        if (all.has(s)) return fail(`cannot create snapshot '${s}': dataset already exists`)
        const children = new Set(
          [...all.keys()].filter((n) => parentOf(n) === dsOf(s)).map((n) => n.slice(dsOf(s).length + 1)),
        )
        copy(mp(dsOf(s)), snapDir(s), (rel) => rel === '.zfs' || rel.startsWith('.zfs/') || children.has(rel))
        return (add(s, props), done())
      }
      case 'clone': {
        const props = opts(a)
        const [origin, n] = a as [string, string]
        if (!all.has(origin)) return missing(origin)
        if (all.has(n)) return fail(`cannot create '${n}': dataset already exists`)
        copy(snapDir(origin), mp(n), () => false)
        return (add(n, props, origin), done())
      }
      case 'rename': {
        const [from, to] = a as [string, string]
        if (!all.has(from)) return missing(from)
        if (all.has(to)) return fail(`cannot rename to '${to}': dataset already exists`)
        if (!all.has(parentOf(to))) return fail(`cannot rename to '${to}': parent does not exist`)
        renameSync(mp(from), mp(to))
        for (const n of sorted(from)) {
          all.set(to + n.slice(from.length), all.get(n)!)
          all.delete(n)
        }
        for (const r of all.values())
          if (r.origin !== null && under(r.origin, from)) r.origin = to + r.origin.slice(from.length)
        return done()
      }
      case 'destroy': {
        const recursive = flag('-r')
        const [n] = a as [string]
        if (!all.has(n)) return missing(n)
        const gone = recursive || n.includes('@') ? sorted(n) : [n]
        if (gone.length > 1 && !recursive) return fail(`cannot destroy '${n}': filesystem has children`)
        const clones = [...all].filter(([c, r]) => r.origin !== null && gone.includes(r.origin) && !gone.includes(c))
        if (clones.length > 0) return fail(`cannot destroy '${n}': snapshot has dependent clones`)
        rmSync(n.includes('@') ? snapDir(n) : mp(n), { recursive: true, force: true })
        return (gone.forEach((g) => all.delete(g)), done())
      }
      case 'set': {
        const [kv, n] = a as [string, string]
        if (!all.has(n)) return missing(n)
        all.get(n)!.props.set(kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1))
        return done()
      }
      case 'inherit': {
        const [k, n] = a as [string, string]
        if (!all.has(n)) return missing(n)
        all.get(n)!.props.delete(k)
        return done()
      }
      case 'diff':
        return done(diffText(snapDir(a[2]!), a[3]!.includes('@') ? snapDir(a[3]!) : mp(a[3]!), mp(dsOf(a[3]!))))
      case 'list':
      case 'get':
        return query(all, mp, verb, a)
    }
    throw new Error(`fake zfs: unsupported ${verb}`)
  }

  const exec: Executor = async (argv) => {
    calls.push([...argv])
    if (argv[0] === 'zpool' && argv[1] === 'sync') return done()
    if (argv[0] !== 'zfs') throw new Error(`fake zfs: not a zfs argv ${JSON.stringify(argv)}`)
    return command(argv.slice(1))
  }
  const mountTable: MountTable = async () => mountTableOf(all, mp)
  mkdirSync(mp(pool), { recursive: true })
  add(pool, new Map())
  return { exec, mountTable, calls }
}
