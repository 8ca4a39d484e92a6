/**
 * Differential property against GNU tar (issue 12 item 8): random valid layer tars (no
 * whiteouts) applied by Stratum on the simulator and extracted by GNU tar as root into a
 * temp directory give the same tree: names (bytes), types, modes, owners, mtimes (to the
 * millisecond, rounded down on both sides), symlink targets, hard links and user xattrs.
 * Fixed seed and few runs by default; by hand: STRATUM_GNU_TAR_RUNS=500 (STRATUM_GNU_TAR_SEED).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { expect, it } from 'vitest'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { applyLayer, hasEscapedBytes, nameFromBytes, type TarEntry } from '@stratum/core'
import { encodeHeader, END_OF_ARCHIVE, paxRecord } from '@stratum/core/internal'
import { paxRecordsFor } from '../../core/src/layer/tar-header.js'
import { SIM_CAPABILITIES } from '@stratum/sim-driver'
import { dumpTree } from '../../conformance/src/layers/apply-tar.js'
import { fixChecksum, metaBlock } from '../../conformance/src/layers/tar-fuzz-gen.js'
import { simTree } from '../../core/test/layer/raw-tar.js'
import { hostFileTree, xattrSupport } from '../src/index.js'

const gnuTar = spawnSync('tar', ['--version'], { encoding: 'utf8' }).stdout ?? ''
const why = !gnuTar.startsWith('tar (GNU tar)')
  ? 'GNU tar is not installed'
  : process.getuid?.() !== 0
    ? 'GNU tar must run as root to keep owners'
    : !xattrSupport()
      ? 'no xattr binding to read the extracted tree'
      : ''
const envInt = (name: string, dflt: number): number => {
  const n = Number(process.env[name])
  return Number.isSafeInteger(n) && n > 0 ? n : dflt
}

interface Node {
  readonly path: string
  readonly type: 'dir' | 'file' | 'symlink' | 'hardlink' | 'fifo'
  readonly mode: number
  readonly uid: number
  readonly gid: number
  /** PAX mtime text ('' for a whole-second ustar mtime) */
  readonly mtime: string
  readonly seconds: number
  readonly body: string
  readonly linkname: string
  readonly xattrs: ReadonlyArray<readonly [string, Uint8Array]>
  /** a whole-second mtime in a base-256 ustar field */
  readonly style: 'octal' | 'base256'
}

const component = fc.constantFrom('a', 'b', 'dir', 'caf\xe9', 'caf\xe8', 'sp ace', 'é', 'x'.repeat(120), 'f.txt')
const nodeArb = (path: string, files: readonly string[]): fc.Arbitrary<Node> =>
  fc
    .record({
      path: fc.constant(path),
      type: fc.constantFrom<Node['type']>(
        'file',
        'file',
        'symlink',
        'fifo',
        ...(files.length > 0 ? ['hardlink' as const] : []),
      ),
      mode: fc.constantFrom(0o644, 0o600, 0o755, 0o4755, 0o2750, 0o444),
      uid: fc.constantFrom(0, 1, 1000, 65534, 2 ** 31),
      gid: fc.constantFrom(0, 5, 1000, 70000),
      seconds: fc.constantFrom(0, 1, 1_600_000_000, 2 ** 33, -86_400),
      mtime: fc.constantFrom('', '', '1600000000.123456789', '1.0005', '-1.5', '-100.000999'),
      body: fc.string({ maxLength: 700 }),
      linkname: fc.constantFrom(...files, 'a', '../b', '/abs/target', 'caf\xe9'),
      xattrs: fc.uniqueArray(fc.tuple(fc.constantFrom('user.a', 'user.b'), fc.uint8Array({ maxLength: 20 })), {
        maxLength: 2,
        selector: ([k]) => k,
      }),
      style: fc.constantFrom<Node['style']>('octal', 'base256'),
    })
    .map((n) => ({
      ...n,
      ...(n.type === 'hardlink' ? { linkname: files[0]! } : {}),
      // the host tree reads xattrs through text paths only: none where the path is not UTF-8
      xattrs: /[\x80-\xff]/.test(n.path) ? [] : n.xattrs,
    }))

/** A random tree, each directory before its entries. */
const treeArb: fc.Arbitrary<Node[]> = fc
  .array(fc.array(component, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 })
  .chain((paths) => {
    const dirs = new Set<string>()
    const leaves = new Set<string>()
    for (const p of paths) {
      for (let i = 1; i < p.length; i++) dirs.add(p.slice(0, i).join('/'))
      leaves.add(p.join('/'))
    }
    const leafList = [...leaves].filter((l) => !dirs.has(l))
    const dirNodes = fc.tuple(
      ...[...dirs]
        .sort()
        .map((d) =>
          nodeArb(d, []).map((n) => ({ ...n, type: 'dir' as const, mode: n.mode | 0o700, xattrs: n.xattrs })),
        ),
    )
    const leafNodes = fc.tuple(
      ...leafList.map((l, i) =>
        nodeArb(
          l,
          leafList.slice(0, i).filter((_, j) => j % 2 === 0),
        ),
      ),
    )
    // depth-first order, as tar writes a tree: GNU tar sets a directory's time once the archive has left it
    const byComponents = (x: Node, y: Node): number => {
      const [p, q] = [x.path.split('/'), y.path.split('/')]
      for (let i = 0; i < Math.min(p.length, q.length); i++) if (p[i] !== q[i]) return p[i]! < q[i]! ? -1 : 1
      return p.length - q.length
    }
    return fc.tuple(dirNodes, leafNodes).map(([d, l]) => {
      const files = new Set<string>()
      const out: Node[] = []
      for (const n of [...d, ...l].sort(byComponents)) {
        const node: Node = n.type !== 'hardlink' || files.has(n.linkname) ? n : { ...n, type: 'file' }
        if (node.type === 'file') files.add(node.path)
        out.push(node)
      }
      return out
    })
  })

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1')
const name = (s: string): string => nameFromBytes(latin1(s))

const base256 = (v: bigint): Uint8Array => {
  const field = new Uint8Array(12)
  let x = v < 0n ? (1n << 96n) + v : v
  for (let i = 11; i >= 0; i--) {
    field[i] = Number(x & 0xffn)
    x >>= 8n
  }
  field[0] = v < 0n ? 0xff : 0x80
  return field
}

/** One entry: the packager's ustar block, its PAX records plus a PAX mtime when asked, or a base-256 mtime. */
const encode = (n: Node): Uint8Array => {
  const type = n.type
  const body = type === 'file' ? Buffer.from(n.body) : Buffer.alloc(0)
  const e: TarEntry = {
    path: name(n.path),
    type,
    mode: n.mode,
    uid: n.uid,
    gid: n.gid,
    mtimeMs: Math.max(n.seconds * 1000, 0),
    size: body.length,
    ...(type === 'symlink' || type === 'hardlink' ? { linkname: name(n.linkname) } : {}),
    ...(type === 'file' || type === 'dir' ? { xattrs: n.xattrs } : {}),
  }
  const encoded = encodeHeader(e)
  const ustar = Uint8Array.from(encoded.subarray(encoded.length - 512))
  if (n.mtime === '' && (n.seconds < 0 || n.style === 'base256')) {
    ustar.set(base256(BigInt(n.seconds)), 136)
    fixChecksum(ustar)
  }
  const recs = paxRecordsFor(e).filter(([k]) => k !== 'mtime' || n.mtime === '')
  if (n.mtime !== '') recs.push(['mtime', latin1(n.mtime)])
  const pax = recs.length === 0 ? [] : [metaBlock('x', Buffer.concat(recs.map(([k, v]) => paxRecord(k, v))))]
  return Buffer.concat([...pax, ustar, body, Buffer.alloc((512 - (body.length % 512)) % 512)])
}

const tarOf = (nodes: readonly Node[]): Buffer => {
  const root = encodeHeader({ path: '', type: 'dir', mode: 0o755, uid: 0, gid: 0, mtimeMs: 1_500_000_000_000, size: 0 })
  return Buffer.concat([root, ...nodes.map(encode), END_OF_ARCHIVE])
}

const extractWithGnuTar = (tar: Uint8Array, dir: string): void => {
  const r = spawnSync(
    'tar',
    [
      '-xf',
      '-',
      '-C',
      dir,
      '--same-owner',
      '--numeric-owner',
      '--same-permissions',
      '--xattrs',
      '--xattrs-include=user.*',
    ],
    { input: tar },
  )
  if (r.status !== 0) throw new Error(`GNU tar exited ${r.status}: ${r.stderr.toString()}`)
}

it.skipIf(why !== '')(
  `a random valid tar gives GNU tar's tree: names, types, modes, owners, mtimes, links, xattrs${why === '' ? '' : ` (skipped: ${why})`}`,
  async () => {
    const runs = envInt('STRATUM_GNU_TAR_RUNS', 25)
    const seed = envInt('STRATUM_GNU_TAR_SEED', 20261201)
    // Property: for any valid tar without whiteouts, Stratum's tree (simulator) equals GNU tar's extraction, field for field.
    await fc.assert(
      fc.asyncProperty(treeArb, async (nodes) => {
        const tar = tarOf(nodes)
        const dir = mkdtempSync(join(tmpdir(), 'stratum-gnutar-'))
        try {
          extractWithGnuTar(tar, dir)
          const { tree } = await simTree()
          async function* once(): AsyncGenerator<Uint8Array> {
            yield tar
          }
          const applied = await applyLayer(tree, once(), { capabilities: SIM_CAPABILITIES })()
          expect(applied._tag, JSON.stringify(applied)).toBe('Right')
          const host = hostFileTree(dir, { readOnly: true })
          const readable = {
            ...host,
            listXattrs: (p: string) => (hasEscapedBytes(p) ? TE.right([]) : host.listXattrs(p)),
          }
          const [ours, gnu] = [await dumpTree(tree, { xattrs: true }), await dumpTree(readable, { xattrs: true })]
          // the host tree cannot read xattrs at a path that is not UTF-8 (a hard link may still carry some there)
          for (const d of [ours, gnu])
            for (const k of Object.keys(d)) if (hasEscapedBytes(k)) d[k] = { ...d[k]!, xattrs: {} }
          const differ = [...new Set([...Object.keys(ours), ...Object.keys(gnu)])].filter(
            (k) => JSON.stringify(ours[k]) !== JSON.stringify(gnu[k]),
          )
          expect(differ.map((k) => ({ path: k, stratum: ours[k], gnu: gnu[k] }))).toEqual([])
        } finally {
          rmSync(dir, { recursive: true, force: true })
        }
      }),
      { numRuns: runs, seed },
    )
  },
)
