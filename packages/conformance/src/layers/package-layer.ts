/** packageLayer: named checks of what the tar says for each kind of change, determinism (U6) and cost. */
import { describe, expect, it } from 'vitest'
import type { AnyName, Capabilities, Driver, FileTree } from '@stratum/core'
import type { SuiteContext } from '../context.js'
import { MTIME } from './apply-tar.js'
import { entryList, layerPair, must, packageBytes, type RoundTrip, roundTrip } from './package-fixtures.js'

const w = (t: FileTree, p: string, s: string, mtimeMs = MTIME) =>
  must(t.writeFile(p, Buffer.from(s), { mtimeMs }), `write ${p}`)
const md = (t: FileTree, p: string) => must(t.mkdir(p, { mtimeMs: MTIME }), `mkdir ${p}`)
const rmrf = async (t: FileTree, p: string): Promise<void> => {
  const st = await must(t.lstat(p), 'lstat')
  if (st.type !== '/') return must(t.unlink(p), 'unlink')
  for (const c of await must(t.readdir(p), 'readdir')) await rmrf(t, `${p}/${c}`)
  await must(t.rmdir(p), 'rmdir')
}

/** Directories (null) and files (their content), made in order. */
const tree =
  (spec: Readonly<Record<string, string | null>>) =>
  async (t: FileTree): Promise<void> => {
    for (const [p, content] of Object.entries(spec)) await (content === null ? md(t, p) : w(t, p, content))
  }

/** A driver whose file trees count readdir calls per path (to show which directories packaging lists). */
const counting = (d: Driver, listed: string[]): Driver => ({
  ...d,
  fs: (n: AnyName) => async () => {
    const r = await d.fs(n)()
    if (r._tag === 'Left') return r
    const t = r.right
    return {
      _tag: 'Right',
      right: {
        ...t,
        readdir: (p: string) => {
          listed.push(p)
          return t.readdir(p)
        },
      },
    }
  },
})

type Change = (t: FileTree, caps: Capabilities) => Promise<void>

/** One named check: `upper` over `lower` packages to `entries` (when given) and extracts back to the same tree. */
interface PackageCase {
  readonly name: string
  readonly lower: Change
  readonly upper: Change
  readonly entries?: readonly string[]
  readonly more?: (rt: RoundTrip) => void
}

const CASES: readonly PackageCase[] = [
  {
    name: 'added, modified and removed files; a removed subtree is one whiteout; parents are included',
    lower: async (t) => {
      for (const d of ['a', 'a/sub', 'gone', 'gone/deep', 'same']) await md(t, d)
      for (const f of ['a/mod', 'a/del', 'a/sub/keep', 'gone/deep/f', 'same/f']) await w(t, f, f)
    },
    upper: async (t) => {
      await w(t, 'a/new', 'new')
      await must(t.writeFile('a/mod', Buffer.from('changed'), { flag: 'truncate', mtimeMs: MTIME + 1000 }), 'truncate')
      await must(t.unlink('a/del'), 'unlink')
      await rmrf(t, 'gone')
      await w(t, 'a/sub/added', 'x')
    },
    entries: ['D ./', 'F .wh.gone', 'D a/', 'F a/.wh.del', 'F a/mod', 'F a/new', 'D a/sub/', 'F a/sub/added'],
  },
  {
    name: 'a directory replaced by a new directory gets an opaque marker and its full content',
    lower: tree({ d: null, 'd/old': 'o', 'd/kept-name': 'k' }),
    upper: async (t) => {
      await rmrf(t, 'd')
      await md(t, 'd')
      await w(t, 'd/kept-name', 'k2')
      await md(t, 'd/n')
    },
    entries: ['D ./', 'D d/', 'F d/.wh..wh..opq', 'F d/kept-name', 'D d/n/'],
  },
  {
    name: "renames become a whiteout and an add with the moved subtree's full content",
    lower: tree({ src: null, 'src/tree': null, 'src/tree/f': 'f', file: 'x', dst: null }),
    upper: async (t) => {
      await must(t.rename('src/tree', 'dst/tree'), 'rename dir')
      await must(t.rename('file', 'dst/file2'), 'rename file')
    },
    entries: ['D ./', 'F .wh.file', 'D dst/', 'F dst/file2', 'D dst/tree/', 'F dst/tree/f', 'D src/', 'F src/.wh.tree'],
  },
  {
    name: "a path under a symlink of the parent is not the parent's entry: a looping link and a link to a directory are replaced by real directories",
    lower: async (t) => {
      await md(t, 'b')
      await w(t, 'b/f', 'lower')
      await must(t.symlink('/c', 'c'), 'symlink c -> /c (a loop)')
      await must(t.symlink('b', 'd'), 'symlink d -> b')
    },
    upper: async (t) => {
      await must(t.rename('c', 'a'), 'rename the looping link')
      await md(t, 'c')
      await md(t, 'c/a')
      await w(t, 'c/a/a', '')
      await must(t.unlink('d'), 'unlink d')
      await md(t, 'd')
      await w(t, 'd/f', 'upper')
    },
  },
  {
    name: 'a directory replaced by a file and a file replaced by a directory',
    lower: tree({ d: null, 'd/c': 'c', f: 'f' }),
    upper: async (t) => {
      await rmrf(t, 'd')
      await w(t, 'd', 'now a file')
      await must(t.unlink('f'), 'unlink')
      await md(t, 'f')
      await w(t, 'f/in', 'in')
    },
    entries: ['D ./', 'F d', 'D f/', 'F f/in'],
  },
  {
    name: 'hard links among new entries: the first name in byte order is the file, the others link to it',
    lower: async () => {},
    upper: async (t) => {
      await w(t, 'z', 'shared')
      await must(t.link('z', 'b'), 'link')
      await md(t, 'd')
      await must(t.link('z', 'd/y'), 'link')
      await must(t.symlink('z', 's', { mtimeMs: MTIME }), 'symlink')
      await must(t.link('s', 's2'), 'link symlink')
    },
    entries: ['D ./', 'F b', 'D d/', 'H d/y -> b', 'S s -> z', 'H s2 -> s', 'H z -> b'],
  },
  {
    name: 'a new name of an unchanged lower file links to its existing name (H5 on the way back)',
    lower: tree({ lib: null, 'lib/big': 'lower content' }),
    upper: async (t) => {
      await md(t, 'bin')
      await must(t.link('lib/big', 'bin/alias'), 'link')
    },
    entries: ['D ./', 'D bin/', 'H bin/alias -> lib/big'],
  },
  {
    name: 'a changed entry at the top level carries the root directory entry, so the root keeps its mtime (regression)',
    lower: async (t) => {
      await must(t.mknod('b', '|', { mtimeMs: MTIME }), 'fifo')
    },
    upper: async (t) => {
      await must(t.utimes('b', MTIME + 1000), 'utimes')
    },
    entries: ['D ./', 'P b'],
  },
  {
    name: 'metadata survives the round trip: modes with setuid, owners, sub-second mtimes, xattrs, symlinks, fifos, devices',
    lower: tree({ etc: null, 'etc/conf': 'c' }),
    upper: async (t, caps) => {
      await must(
        t.writeFile('suid', Buffer.from('s'), {
          mode: 0o4755,
          mtimeMs: MTIME + 123,
          ...(caps.chown ? { uid: 1000, gid: 100 } : {}),
        }),
        'suid',
      )
      await must(t.chmod('etc', 0o1750), 'chmod dir')
      await must(t.utimes('etc', MTIME + 7), 'utimes dir')
      await must(t.symlink('/etc/conf', 'link', { mtimeMs: MTIME + 5 }), 'symlink')
      await must(t.mknod('fifo', '|', { mode: 0o600, mtimeMs: MTIME }), 'fifo')
      if (caps.deviceNodes) await must(t.mknod('null', 'C', { mode: 0o666, rdev: 0x103, mtimeMs: MTIME }), 'device')
      if (caps.xattrs) {
        await must(t.setXattr('suid', 'user.note', Buffer.from('hello')), 'xattr')
        await must(t.setXattr('etc/conf', 'user.k', Buffer.from('v')), 'xattr')
      }
    },
    more: (rt) => {
      expect(rt.got.suid).toMatchObject({ mode: 0o4755, mtimeMs: MTIME + 123 })
    },
  },
  {
    name: 'a file rewritten with the same size and mtime and then linked is not mistaken for a link-only change (regression)',
    lower: tree({ f: 'old' }),
    upper: async (t) => {
      await must(t.writeFile('f', Buffer.from('new'), { flag: 'truncate', mtimeMs: MTIME }), 'rewrite')
      await must(t.link('f', 'g'), 'link')
    },
    entries: ['D ./', 'F f', 'H g -> f'],
  },
]

export const packageLayerChecks = (ctx: SuiteContext): void => {
  describe('layer packaging', () => {
    for (const c of CASES)
      it(c.name, () =>
        ctx.withFixture(async ({ driver, base }) => {
          const caps = driver.capabilities
          const pair = await layerPair(
            driver,
            base,
            'p',
            (t) => c.lower(t, caps),
            (t) => c.upper(t, caps),
          )
          if (c.entries !== undefined) expect(await entryList(await packageBytes(driver, pair))).toEqual(c.entries)
          const rt = await roundTrip(driver, base, pair, 'p')
          expect(rt.got).toEqual(rt.want)
          c.more?.(rt)
        }),
      )

    it('U6 packaging the same layer twice gives byte-identical output', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(driver, base, 'p', tree({ d: null, 'd/a': 'a' }), async (t) => {
          for (let i = 0; i < 20; i++) await w(t, `d/f${i}`, `${i}`.repeat(i * 50), MTIME + i * 333)
          await must(t.unlink('d/a'), 'unlink')
        })
        const [a, b] = [await packageBytes(driver, pair), await packageBytes(driver, pair)]
        expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
      }))

    it('cost follows the changes: packaging lists only the changed directories, never the unchanged tree', () =>
      ctx.withFixture(async ({ driver, base }) => {
        const pair = await layerPair(
          driver,
          base,
          'p',
          async (t) => {
            for (let d = 0; d < 20; d++) {
              await md(t, `d${d}`)
              for (let f = 0; f < 5; f++) await w(t, `d${d}/f${f}`, 'x')
            }
          },
          async (t) => {
            await w(t, 'd3/new', 'n')
            await must(t.unlink('d7/f1'), 'unlink')
          },
        )
        const listed: string[] = []
        await packageBytes(counting(driver, listed), pair)
        expect([...new Set(listed)].sort()).toEqual(['d3', 'd7'])
      }))
  })
}
