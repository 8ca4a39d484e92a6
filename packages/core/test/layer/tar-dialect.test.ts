// The tar dialect read as GNU tar reads it: end-of-archive marker, global PAX headers, exact mtimes, checked ids, data only after files.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type { FileTree } from '@stratum/core'
import { applyBytes, base256, END, entry, gnuLong, header, pax, simTree } from './raw-tar.js'

const ok = <A>(r: E.Either<unknown, A> | 'unsettled'): A => {
  if (r === 'unsettled' || E.isLeft(r)) throw new Error(JSON.stringify(r === 'unsettled' ? r : r.left))
  return r.right
}
const names = async (t: FileTree, p = ''): Promise<readonly string[]> => ok(await t.readdir(p)())
const stat = async (t: FileTree, p: string) => ok(await t.lstat(p)())

describe('tar reading: where the archive ends', () => {
  it('entries after the end-of-archive marker (two zero blocks) are not applied', async () => {
    const { tree } = await simTree()
    const r = await applyBytes(
      tree,
      Buffer.concat([entry({ name: 'a' }, Buffer.from('a')), END, entry({ name: 'smuggled' }, Buffer.from('x')), END]),
    )
    expect(ok(r).entries).toBe(1)
    expect(await names(tree)).toEqual(['a'])
  })

  it('a lone zero block followed by another header is CorruptLayer naming the entry before it', async () => {
    const { tree } = await simTree()
    const r = await applyBytes(
      tree,
      Buffer.concat([entry({ name: 'a' }), Buffer.alloc(512), entry({ name: 'b' }), END]),
    )
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CorruptLayer', entry: 'a' } })
  })

  it('the end of the input right after an entry, or after one zero block, ends the archive', async () => {
    for (const tail of [Buffer.alloc(0), Buffer.alloc(512)]) {
      const { tree } = await simTree()
      expect(ok(await applyBytes(tree, Buffer.concat([entry({ name: 'a' }, Buffer.from('abc')), tail]))).entries).toBe(
        1,
      )
    }
  })

  it.each([
    ['a directory', '5'],
    ['a symlink', '2'],
    ['a hard link', '1'],
    ['a fifo', '6'],
  ])('%s with a non-zero size settles with CorruptLayer naming it (it never hangs)', async (_what, type) => {
    const { tree } = await simTree()
    const r = await applyBytes(
      tree,
      Buffer.concat([
        entry({ name: 'f' }),
        header({ name: 'd', type, size: 512, linkname: 'f' }),
        Buffer.alloc(512, 1),
        END,
      ]),
    )
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CorruptLayer', entry: 'd' } })
  })

  it.each([
    ['inside the next header', (t: Buffer) => t.subarray(0, 1536 + 100)],
    ['inside the data', (t: Buffer) => t.subarray(0, 512 + 100)],
    ['inside the padding', (t: Buffer) => t.subarray(0, 512 + 1000 + 10)],
  ])('an archive that ends %s is CorruptLayer naming the entry', async (_where, cut) => {
    const { tree } = await simTree()
    const tar = Buffer.concat([entry({ name: 'big' }, Buffer.alloc(1000, 7)), entry({ name: 'next' }), END])
    expect(await applyBytes(tree, cut(tar))).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'CorruptLayer', entry: 'big' },
    })
  })

  it('a wrong checksum is CorruptLayer naming the entry before the bad header', async () => {
    const { tree } = await simTree()
    const r = await applyBytes(
      tree,
      Buffer.concat([entry({ name: 'a' }), entry({ name: 'b', badChecksum: true }), END]),
    )
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CorruptLayer', entry: 'a' } })
  })
})

describe('tar reading: extended headers', () => {
  it("a global PAX header's records apply to every following entry, with or without a header of its own", async () => {
    const { tree } = await simTree()
    const r = await applyBytes(
      tree,
      Buffer.concat([
        entry({ name: 'before', mtime: 5 }),
        pax('g', [
          ['mtime', '1000.25'],
          ['uid', '7'],
        ]),
        entry({ name: 'plain', mtime: 5 }),
        pax('x', [['uid', '9']]),
        entry({ name: 'own', mtime: 5 }),
        pax('x', [['mtime', '']]),
        entry({ name: 'reverted', mtime: 5 }),
        pax('g', [['mtime', '']]),
        entry({ name: 'after', mtime: 5 }),
        END,
      ]),
    )
    ok(r)
    expect((await stat(tree, 'before')).mtimeMs).toBe(5000)
    expect((await stat(tree, 'plain')).mtimeMs).toBe(1_000_250)
    expect((await stat(tree, 'own')).mtimeMs).toBe(1_000_250)
    expect((await stat(tree, 'reverted')).mtimeMs).toBe(5000) // an empty value of its own falls back to the ustar field
    expect((await stat(tree, 'after')).mtimeMs).toBe(5000) // an empty global value removes the global record
  })

  it('GNU long names and long link targets', async () => {
    const { tree } = await simTree()
    const long = `${'d'.repeat(150)}/${'f'.repeat(120)}`
    ok(
      await applyBytes(
        tree,
        Buffer.concat([
          gnuLong('L', long),
          entry({ name: 'trunc' }, Buffer.from('x')),
          gnuLong('K', long),
          entry({ name: 'l', type: '2' }),
          END,
        ]),
      ),
    )
    expect((await stat(tree, long)).size).toBe(1)
    expect(ok(await tree.readlink('l')())).toBe(long)
  })

  it('the ustar prefix is joined to the name; a GNU header has no prefix field', async () => {
    const { tree } = await simTree()
    ok(
      await applyBytes(
        tree,
        Buffer.concat([entry({ name: 'f', prefix: 'p/q' }), entry({ name: 'g', format: 'gnu' }), END]),
      ),
    )
    expect(await names(tree, 'p/q')).toEqual(['f'])
    expect(await names(tree)).toEqual(['g', 'p'])
  })

  it('a name ending in / in a regular-file header is a directory (old tars)', async () => {
    const { tree } = await simTree()
    ok(await applyBytes(tree, Buffer.concat([entry({ name: 'd/', type: '\0', mode: 0o750, format: 'v7' }), END])))
    expect(await stat(tree, 'd')).toMatchObject({ type: '/', mode: 0o750 })
  })

  it.each([
    [
      'PAX 1.0',
      Buffer.concat([
        pax('x', [
          ['GNU.sparse.major', '1'],
          ['GNU.sparse.minor', '0'],
          ['GNU.sparse.name', 'data.bin'],
          ['GNU.sparse.realsize', '4096'],
        ]),
        entry({ name: 'GNUSparseFile.0/data.bin' }, Buffer.from('1\n0\n512\n')),
        END,
      ]),
    ],
    ['old GNU', Buffer.concat([entry({ name: 'data.bin', type: 'S', format: 'gnu' }), END])],
  ])('a %s sparse file is Unsupported naming the file, never a GNUSparseFile.N entry', async (_f, tar) => {
    const { tree } = await simTree()
    const r = await applyBytes(tree, tar)
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'Unsupported' } })
    expect(E.isLeft(r as E.Either<unknown, unknown>) && JSON.stringify(r)).toContain("'data.bin'")
    expect(await names(tree)).toEqual([])
  })
})

describe('tar reading: numbers', () => {
  it.each([
    ['a negative base-256 mtime', { raw: { mtime: base256(-1n, 12) } }, [], -1000],
    ['a large base-256 mtime', { raw: { mtime: base256(2n ** 34n, 12) } }, [], 2 ** 34 * 1000],
    ['a negative PAX mtime', {}, [['mtime', '-1.5']], -1500],
    ['a PAX mtime below the millisecond, rounded down', {}, [['mtime', '1.9996']], 1999],
    ['a negative PAX mtime below the millisecond, rounded down', {}, [['mtime', '-1.0005']], -1001],
  ] as const)('%s is exact', async (_what, h, recs, ms) => {
    const { tree } = await simTree()
    ok(
      await applyBytes(
        tree,
        Buffer.concat([...(recs.length > 0 ? [pax('x', recs)] : []), entry({ name: 'f', ...h }), END]),
      ),
    )
    expect((await stat(tree, 'f')).mtimeMs).toBe(ms)
  })

  it.each([
    ['a PAX uid above 2^32-1', [pax('x', [['uid', '4294967296']]), entry({ name: 'f' })]],
    ['a PAX gid above 2^32-1', [pax('x', [['gid', '99999999999']]), entry({ name: 'f' })]],
    ['a base-256 uid above 2^32-1', [entry({ name: 'f', raw: { uid: base256(2n ** 32n, 8) } })]],
    ['a negative base-256 gid', [entry({ name: 'f', raw: { gid: base256(-2n, 8) } })]],
    ['a PAX uid that is not a number', [pax('x', [['uid', '12a']]), entry({ name: 'f' })]],
    ['a PAX size that is not a number', [pax('x', [['size', '-1']]), entry({ name: 'f' })]],
    ['a PAX mtime that is not a number', [pax('x', [['mtime', '1e9']]), entry({ name: 'f' })]],
    ['an octal field with a bad digit', [entry({ name: 'f', raw: { uid: Buffer.from('0000009\0') } })]],
  ])('%s is CorruptLayer naming the entry', async (_what, parts) => {
    const { tree } = await simTree()
    const r = await applyBytes(tree, Buffer.concat([...parts, END]))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CorruptLayer', entry: 'f' } })
    expect(await names(tree)).toEqual([])
  })

  it('the largest ids are accepted', async () => {
    const { tree } = await simTree()
    ok(
      await applyBytes(
        tree,
        Buffer.concat([
          pax('x', [
            ['uid', '4294967295'],
            ['gid', '4294967295'],
          ]),
          entry({ name: 'f' }),
          END,
        ]),
      ),
    )
    expect(await stat(tree, 'f')).toMatchObject({ uid: 4294967295, gid: 4294967295 })
  })
})
