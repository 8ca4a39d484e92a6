/**
 * Shared helpers of the apply / package / hostile layer groups: tar fixtures written with
 * tar-stream's pack (any header a hostile tar may carry), chunked streams, a full dump of a
 * file tree for comparisons, and the root-plus-sentinel setup of the hostile vectors.
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  type ApplyResult,
  type Capabilities,
  type DatasetName,
  type Driver,
  type FileTree,
  type StorageError,
  type Stat,
  applyLayer,
} from '@stratum/core'
import { dsn, fsOf, readAll, snn } from '../checks/util.js'
import type { PropertyBudget } from '../budget.js'
import type { SuiteContext } from '../context.js'
import { type FixtureEntry, MTIME, tarOf, unwrap as ok } from '@stratum/core/testing'

export { type FixtureEntry, MTIME, tarOf }

/** The bytes as a stream of `size`-byte chunks (small chunks exercise the streaming paths). */
export async function* streamOf(bytes: Uint8Array, size = 700): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}

export const applyBytes = (
  tree: FileTree,
  bytes: Uint8Array,
  capabilities: Capabilities,
  limits?: Parameters<typeof applyLayer>[2]['limits'],
): Promise<E.Either<StorageError, ApplyResult>> =>
  applyLayer(tree, streamOf(bytes), { capabilities, ...(limits === undefined ? {} : { limits }) })()

export const applyEntries = async (
  tree: FileTree,
  entries: readonly FixtureEntry[],
  capabilities: Capabilities,
): Promise<E.Either<StorageError, ApplyResult>> => applyBytes(tree, await tarOf(entries), capabilities)

/** One object of a dumped tree. `ino` is kept only to show which paths share an object. */
export interface DumpNode {
  readonly type: Stat['type']
  readonly mode: number
  readonly uid: number
  readonly gid: number
  readonly mtimeMs: number
  readonly rdev: number
  readonly content?: string
  readonly target?: string
  readonly xattrs?: Readonly<Record<string, string>>
  /** the byte-smallest path naming the same object; '' for directories */
  readonly link: string
}

/**
 * Every entry of the tree with its metadata and content. Hard links show as equal `link`
 * values: the byte-smallest path naming the object ('' for directories). A symlink's mode
 * is left out (drivers differ), and so are directory mtimes with `dirMtimes: false`.
 */
export const dumpTree = async (
  t: FileTree,
  opts: { xattrs?: boolean; dirMtimes?: boolean } = {},
): Promise<Record<string, DumpNode>> => {
  const out: Record<string, DumpNode> = {}
  const inos = new Map<string, number>()
  const visit = async (p: string): Promise<void> => {
    const st = await ok(t.lstat(p), `lstat ${p}`)
    if (st.type !== '/') inos.set(p, st.ino)
    const xs: Record<string, string> = {}
    if (opts.xattrs === true)
      for (const x of [...(await ok(t.listXattrs(p), `listXattrs ${p}`))].sort())
        xs[x] = Buffer.from(await ok(t.getXattr(p, x), 'getXattr')).toString('hex')
    out[p === '' ? '.' : p] = {
      type: st.type,
      mode: st.type === '@' ? 0 : st.mode,
      uid: st.uid,
      gid: st.gid,
      mtimeMs: st.type === '/' && opts.dirMtimes === false ? 0 : st.mtimeMs,
      rdev: st.rdev,
      link: '',
      ...(st.type === 'F' ? { content: Buffer.from(await readAll(await ok(t.read(p), `read ${p}`))).toString() } : {}),
      ...(st.type === '@' ? { target: await ok(t.readlink(p), `readlink ${p}`) } : {}),
      ...(opts.xattrs === true ? { xattrs: xs } : {}),
    }
    if (st.type === '/') for (const c of await ok(t.readdir(p), `readdir ${p}`)) await visit(p === '' ? c : `${p}/${c}`)
  }
  await visit('')
  const first = new Map<number, string>()
  for (const [p, ino] of [...inos].sort(([a], [b]) => Buffer.compare(Buffer.from(a), Buffer.from(b))))
    if (!first.has(ino)) first.set(ino, p)
  for (const [p, ino] of inos) out[p] = { ...out[p]!, link: first.get(ino)! }
  return out
}

/** The layer root and, beside it, an "outside" sentinel dataset whose content must never change. */
export interface HostileBed {
  readonly root: DatasetName
  readonly outside: DatasetName
  readonly tree: FileTree
  /** the sentinel's dump now equals its dump at setup, and the root is still a directory (U1, U3) */
  readonly invariants: () => Promise<void>
}

export const OUTSIDE_FILES: Readonly<Record<string, string>> = {
  'etc/passwd': 'root:x:0:0',
  'etc/shadow': 'secret',
  x: 'host x',
  'tmp/keep': 'k',
}

/** A bed for one hostile apply; its invariants, once they hold, count in the run's tally. */
export const hostileBed = async (
  ctx: SuiteContext,
  driver: Driver,
  base: DatasetName,
  check: (a: unknown, b: unknown) => void,
): Promise<HostileBed> => {
  const root = dsn(base, 'root')
  const outside = dsn(base, 'outside')
  await ok(driver.create(root), 'create root')
  await ok(driver.create(outside), 'create outside')
  const out = await fsOf(driver, outside)
  for (const d of ['etc', 'tmp']) await ok(out.mkdir(d), 'mkdir')
  for (const [p, c] of Object.entries(OUTSIDE_FILES))
    await ok(out.writeFile(p, Buffer.from(c), { mtimeMs: MTIME }), 'write')
  await ok(driver.snapshot(snn(base, 'outside@sentinel')), 'snapshot sentinel')
  const before = await dumpTree(out)
  const tree = await fsOf(driver, root)
  return {
    root,
    outside,
    tree,
    invariants: async () => {
      check(await dumpTree(await fsOf(driver, outside)), before)
      check(await ok(driver.diff(snn(base, 'outside@sentinel'), outside), 'diff sentinel'), [])
      check((await ok(tree.lstat(''), 'lstat root')).type, '/')
      ctx.tally.hostileApplies++
    },
  }
}

/** The content of `path`, or undefined when it does not exist. */
export const contentAt = async (t: FileTree, path: string): Promise<string | undefined> => {
  const r = await t.read(path)()
  return E.isLeft(r) ? undefined : Buffer.from(await readAll(r.right)).toString()
}
export const existsAt = async (t: FileTree, path: string): Promise<boolean> => E.isRight(await t.lstat(path)())

/**
 * The suite's property budget with the run count divided by `div`: each layer run builds
 * several datasets. At least 5 runs, unless the budget itself is lower.
 */
export const layerRuns = (cfg: PropertyBudget, override: number | undefined, div: number): PropertyBudget => {
  return { ...cfg, runs: override ?? Math.max(Math.min(5, cfg.runs), Math.round(cfg.runs / div)) }
}
