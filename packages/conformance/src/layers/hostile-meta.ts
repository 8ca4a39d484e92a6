/**
 * docs/LAYER-SECURITY.md vectors M1-M6 (metadata), I1-I3 (corrupt input) and the limits of U7,
 * each a named check with U1, U3, U5. I4-I6 (gzip, digests) belong to the layer store.
 */
import { describe, expect, it } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { applyLayer } from '@stratum/core'
import { makedev } from '@stratum/core/internal'
import type { SuiteContext } from '../context.js'
import { applyBytes, applyEntries, contentAt, existsAt, MTIME, tarOf } from './apply-tar.js'
import { withBed, stat } from './hostile-bed.js'

export const hostileMetaChecks = (ctx: SuiteContext): void => {
  describe('layer hostile vectors: metadata', () => {
    it(
      'M1 setuid, setgid and sticky bits are kept',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'suid', mode: 0o4755, body: '' },
              { name: 'sgid', mode: 0o2755, body: '' },
              { name: 'tmp/', type: 'directory', mode: 0o1777 },
            ],
            f.driver.capabilities,
          ),
        )
        expect([
          (await stat(b.tree, 'suid')).mode,
          (await stat(b.tree, 'sgid')).mode,
          (await stat(b.tree, 'tmp')).mode,
        ]).toEqual([0o4755, 0o2755, 0o1777])
      }),
    )

    it(
      'M2 uid and gid are numeric from the header; names are not looked up (applied where the driver can chown)',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [{ name: 'owned', uid: 1234, gid: 5678, uname: 'root', gname: 'wheel', body: 'o' }],
            f.driver.capabilities,
          ),
        )
        const s = await stat(b.tree, 'owned')
        if (f.driver.capabilities.chown) expect([s.uid, s.gid]).toEqual([1234, 5678])
        else expect(await contentAt(b.tree, 'owned')).toBe('o')
      }),
    )

    it(
      'M3 mtimes of files and symlinks are kept; a directory gets its mtime after its children are written',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'd/', type: 'directory', mtimeMs: MTIME - 5000 },
              { name: 'd/f', mtimeMs: MTIME - 1000, body: 'f' },
              { name: 'd/l', type: 'symlink', linkname: 'f', mtimeMs: MTIME - 2000 },
              { name: 'd/sub/', type: 'directory', mtimeMs: MTIME - 3000 },
              { name: 'd/sub/g', body: 'g' },
              { name: 'p', mtimeMs: MTIME, body: 'sub-second', pax: { mtime: `${(MTIME + 123) / 1000}` } },
            ],
            f.driver.capabilities,
          ),
        )
        expect((await stat(b.tree, 'd')).mtimeMs).toBe(MTIME - 5000)
        expect((await stat(b.tree, 'd/f')).mtimeMs).toBe(MTIME - 1000)
        expect((await stat(b.tree, 'd/l')).mtimeMs).toBe(MTIME - 2000)
        expect((await stat(b.tree, 'd/sub')).mtimeMs).toBe(MTIME - 3000)
        expect((await stat(b.tree, 'p')).mtimeMs).toBe(MTIME + 123)
      }),
    )

    it(
      'M4 fifos are kept; device nodes only with the deviceNodes capability, else Unsupported naming the entry',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() => applyEntries(b.tree, [{ name: 'pipe', type: 'fifo', mode: 0o600 }], f.driver.capabilities))
        expect((await stat(b.tree, 'pipe')).type).toBe('|')
        const dev = [
          { name: 'dev/null', type: 'character-device' as const, devmajor: 1, devminor: 3, mode: 0o666 },
          { name: 'dev/sda', type: 'block-device' as const, devmajor: 8, devminor: 0 },
        ]
        if (f.driver.capabilities.deviceNodes) {
          await ctx.ok(() => applyEntries(b.tree, dev, f.driver.capabilities))
          const [n, s] = [await stat(b.tree, 'dev/null'), await stat(b.tree, 'dev/sda')]
          expect([n.type, n.rdev, s.type, s.rdev]).toEqual(['C', makedev(1, 3), 'B', makedev(8, 0)])
        } else {
          const e = await ctx.fails(() => applyEntries(b.tree, dev, f.driver.capabilities), 'Unsupported')
          expect(e.what).toContain('dev/null')
        }
      }),
    )

    it(
      'M5 PAX SCHILY.xattr records are kept where the driver declares xattrs',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [{ name: 'x', body: 'x', pax: { 'SCHILY.xattr.user.k': 'v', 'SCHILY.xattr.trusted.t': 'w' } }],
            f.driver.capabilities,
          ),
        )
        if (!f.driver.capabilities.xattrs) return
        const names = await b.tree.listXattrs('x')()
        expect(E.isRight(names) && [...names.right].sort()).toEqual(['trusted.t', 'user.k'])
        const v = await b.tree.getXattr('x', 'user.k')()
        expect(E.isRight(v) && Buffer.from(v.right).toString()).toBe('v')
      }),
    )

    it(
      'M6 a mode 0000 directory still receives its children',
      withBed(ctx, async (b, f) => {
        await ctx.ok(() =>
          applyEntries(
            b.tree,
            [
              { name: 'locked/', type: 'directory', mode: 0 },
              { name: 'locked/f', body: 'in' },
              { name: 'locked/sub/g', body: 'g' },
            ],
            f.driver.capabilities,
          ),
        )
        expect((await stat(b.tree, 'locked')).mode).toBe(0)
        expect(await contentAt(b.tree, 'locked/sub/g')).toBe('g')
      }),
    )
  })

  describe('layer hostile vectors: corrupt input and limits', () => {
    const sample = () =>
      tarOf([
        { name: 'a/', type: 'directory' },
        { name: 'a/big', body: 'z'.repeat(3000) },
        { name: 'b', body: 'b' },
      ])

    it(
      'I1 a truncated tar (a header promising more bytes than follow) is CorruptLayer naming the entry',
      withBed(ctx, async (b, f) => {
        const bytes = await sample()
        const e = await ctx.fails(
          () => applyBytes(b.tree, bytes.subarray(0, 512 * 3 + 100), f.driver.capabilities),
          'CorruptLayer',
        )
        expect(e.entry).toBe('a/big')
      }),
    )

    it(
      'I2 a bad header checksum is CorruptLayer',
      withBed(ctx, async (b, f) => {
        const bytes = Uint8Array.from(await sample())
        bytes[512 + 10] = bytes[512 + 10]! ^ 0xff // inside the name field of a/big's header, right after a/'s
        const e = await ctx.fails(() => applyBytes(b.tree, bytes, f.driver.capabilities), 'CorruptLayer')
        expect(e.entry).toBe('a/')
      }),
    )

    it(
      'I3 random bytes are CorruptLayer',
      withBed(ctx, async (b, f) => {
        let seed = 42
        const bytes = Uint8Array.from({ length: 5000 }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff)
        await ctx.fails(() => applyBytes(b.tree, bytes, f.driver.capabilities), 'CorruptLayer')
      }),
    )

    it(
      'U7 entry count, name length, file size and total size are bounded, each with its own LimitExceeded naming the entry',
      withBed(ctx, async (b, f) => {
        const bytes = await sample()
        const caps = f.driver.capabilities
        await ctx.fails(() => applyBytes(b.tree, bytes, caps, { maxEntries: 2 }), 'LimitExceeded', {
          what: 'tar entries',
          limit: 2,
          entry: 'b',
        })
        await ctx.fails(() => applyBytes(b.tree, bytes, caps, { maxFileBytes: 2999 }), 'LimitExceeded', {
          what: 'file bytes',
          entry: 'a/big',
        })
        await ctx.fails(() => applyBytes(b.tree, bytes, caps, { maxTotalBytes: 3000 }), 'LimitExceeded', {
          what: 'total bytes',
          entry: 'b',
        })
        await ctx.fails(() => applyBytes(b.tree, bytes, caps, { maxPathBytes: 4 }), 'LimitExceeded', {
          what: 'entry name bytes',
          entry: 'a/big',
        })
        await ctx.fails(() => applyEntries(b.tree, [{ name: 'n'.repeat(256), body: '' }], caps), 'LimitExceeded', {
          what: 'name component bytes',
        })
        expect(await existsAt(b.tree, 'b')).toBe(false)
      }),
    )

    it(
      'a failure of the input stream itself passes through as the StorageError it carries',
      withBed(ctx, async (b, f) => {
        const bytes = await sample()
        const failing = async function* () {
          yield bytes.subarray(0, 1024)
          throw { _tag: 'LimitExceeded', what: 'decompressed bytes', limit: 1024 }
        }
        await ctx.fails(applyLayer(b.tree, failing(), { capabilities: f.driver.capabilities }), 'LimitExceeded', {
          what: 'decompressed bytes',
        })
      }),
    )
  })
}
