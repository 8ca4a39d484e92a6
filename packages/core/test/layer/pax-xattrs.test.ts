// SCHILY.xattr.* values stay byte-exact (invalid UTF-8 included) from a layer tar to the tree and from the tree back to a packaged tar.
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  applyLayer,
  datasetName,
  packageLayer,
  snapshotName,
  type Driver,
  type FileTree,
  type StorageError,
  type TarEntry,
} from '@stratum/core'
import { encodeHeader, END_OF_ARCHIVE, paxRecord } from '@stratum/core/internal'
import { createSimDriver, SIM_CAPABILITIES } from '@stratum/sim-driver'
import { parsePaxRecords } from '../../src/layer/pax-records.js'

const BINARY = Uint8Array.from([0x01, 0x00, 0x00, 0x02, 0xff, 0xfe, 0xc3, 0x28, 0x80, 0x0a, 0x3d])
const file = (path: string, more: Partial<TarEntry> = {}): TarEntry => ({
  path,
  type: 'file',
  mode: 0o644,
  uid: 0,
  gid: 0,
  mtimeMs: 1_700_000_000_000,
  size: 0,
  ...more,
})
const tarOf = (...blocks: Uint8Array[]): Uint8Array => Buffer.concat([...blocks, END_OF_ARCHIVE])
async function* once(b: Uint8Array): AsyncGenerator<Uint8Array> {
  yield b
}

/** A ustar header block of type `flag` ('x' local PAX, 'g' global) carrying `data`, then the data padded. */
const paxBlock = (flag: 'x' | 'g', data: Uint8Array): Uint8Array => {
  // encodeHeader writes a correct 'x' block for an entry with xattrs; re-type it and swap in our data
  const h = Buffer.from(encodeHeader({ ...file('PaxHeader'), size: data.length }))
  h[156] = flag.charCodeAt(0)
  h.fill(0x20, 148, 156)
  const sum = h.reduce((a, b) => a + b, 0)
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'latin1')
  return Buffer.concat([h, data, Buffer.alloc((512 - (data.length % 512)) % 512)])
}

const sim = async (): Promise<{ driver: Driver; tree: FileTree }> => {
  const driver = createSimDriver()
  await driver.create(datasetName('testpool/l'))()
  const t = await driver.fs(datasetName('testpool/l'))()
  if (E.isLeft(t)) throw new Error('fs')
  return { driver, tree: t.right }
}
const apply = async (tree: FileTree, tar: Uint8Array): Promise<E.Either<StorageError, unknown>> =>
  applyLayer(tree, once(tar), { capabilities: SIM_CAPABILITIES })()
const xattr = async (tree: FileTree, p: string, n: string): Promise<Buffer> => {
  const r = await tree.getXattr(p, n)()
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return Buffer.from(r.right)
}

/** The SCHILY.xattr records of every entry of a tar, read from the raw bytes. */
const xattrsInTar = (tar: Uint8Array): Map<string, Buffer> => {
  const out = new Map<string, Buffer>()
  for (let at = 0; at + 512 <= tar.length; ) {
    const h = Buffer.from(tar.subarray(at, at + 512))
    if (h.every((b) => b === 0)) break
    const size = parseInt(h.toString('latin1', 124, 136).replace(/\0.*$/, ''), 8)
    if (h[156] === 'x'.charCodeAt(0)) {
      const recs = parsePaxRecords(tar.subarray(at + 512, at + 512 + size))
      if (E.isLeft(recs)) throw new Error(recs.left)
      for (const r of recs.right) if (r.key.startsWith('SCHILY.xattr.')) out.set(r.key, Buffer.from(r.value))
    }
    at += 512 + Math.ceil(size / 512) * 512
  }
  return out
}

describe('byte-exact PAX xattr values', () => {
  it('a non-UTF-8 value is applied byte for byte, then packaged byte for byte (apply, package, apply again)', async () => {
    const { driver, tree } = await sim()
    await driver.snapshot(snapshotName('testpool/l@empty'))()
    const entry = file('bin/ping', {
      size: 1,
      mode: 0o755,
      xattrs: [
        ['security.capability', BINARY],
        ['user.text', Buffer.from('é')],
      ],
    })
    const r = await apply(
      tree,
      tarOf(
        Buffer.from(encodeHeader({ ...file('bin'), type: 'dir' })),
        encodeHeader(entry),
        Buffer.from('p'),
        Buffer.alloc(511),
      ),
    )
    expect(E.isRight(r)).toBe(true)
    expect((await xattr(tree, 'bin/ping', 'security.capability')).equals(Buffer.from(BINARY))).toBe(true)
    expect((await xattr(tree, 'bin/ping', 'user.text')).toString()).toBe('é')

    await driver.snapshot(snapshotName('testpool/l@s'))()
    const packaged = await packageLayer(driver, snapshotName('testpool/l@empty'), snapshotName('testpool/l@s'))()
    if (E.isLeft(packaged)) throw new Error(JSON.stringify(packaged.left))
    const parts: Uint8Array[] = []
    for await (const c of packaged.right) parts.push(c)
    const bytes = Buffer.concat(parts)
    expect(xattrsInTar(bytes).get('SCHILY.xattr.security.capability')?.equals(Buffer.from(BINARY))).toBe(true)

    const again = await sim()
    expect(E.isRight(await apply(again.tree, bytes))).toBe(true)
    expect((await xattr(again.tree, 'bin/ping', 'security.capability')).equals(Buffer.from(BINARY))).toBe(true)
  })

  it("records keep to the entry they precede; a global header's xattrs merge under the entry's own, later records win", async () => {
    const { tree } = await sim()
    const global = Buffer.concat([
      paxRecord('SCHILY.xattr.user.g', Uint8Array.from([0xff])),
      paxRecord('SCHILY.xattr.user.both', Buffer.from('global')),
    ])
    const local = Buffer.concat([
      paxRecord('SCHILY.xattr.user.both', Buffer.from('first')),
      paxRecord('SCHILY.xattr.user.both', Uint8Array.from([0xfe, 0x00])),
    ])
    const r = await apply(
      tree,
      tarOf(
        paxBlock('g', global),
        paxBlock('x', local),
        encodeHeader(file('a')),
        encodeHeader(file('b', { xattrs: [['user.b', Uint8Array.from([0x80])]] })),
        encodeHeader(file('c')),
      ),
    )
    expect(E.isRight(r)).toBe(true)
    expect([...(await xattr(tree, 'a', 'user.g'))]).toEqual([0xff])
    expect([...(await xattr(tree, 'a', 'user.both'))]).toEqual([0xfe, 0x00])
    expect(await tree.listXattrs('b')()).toEqual(E.right(['user.b', 'user.both', 'user.g']))
    expect([...(await xattr(tree, 'b', 'user.b'))]).toEqual([0x80])
    expect((await xattr(tree, 'b', 'user.both')).toString()).toBe('global') // a's own records stayed with a
    expect(await tree.listXattrs('c')()).toEqual(E.right(['user.both', 'user.g'])) // a global header applies to every following entry (GNU tar, Go)
  })

  it.each([
    ['a bad length', Buffer.from('x5 SCHILY.xattr.user.a=1\n')],
    ['a length past the end', Buffer.from('99 SCHILY.xattr.user.a=1\n')],
    ['no newline at the end', Buffer.from('25 SCHILY.xattr.user.a=12')],
    ['no key', Buffer.from('7 =abc\n')],
    ['no =', Buffer.from('7 abcd\n')],
    ['a key that is not UTF-8', Buffer.concat([Buffer.from('7 '), Buffer.from([0xff]), Buffer.from('x=1\n')])],
    ['an empty xattr name', Buffer.from('19 SCHILY.xattr.=1\n')],
    ['trailing bytes', Buffer.concat([paxRecord('SCHILY.xattr.user.a', Buffer.from('1')), Buffer.alloc(3)])],
  ])('a malformed PAX header (%s) is CorruptLayer naming the entry', async (_why, data) => {
    const { tree } = await sim()
    const r = await apply(tree, tarOf(encodeHeader(file('ok')), paxBlock('x', data), encodeHeader(file('victim'))))
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CorruptLayer', entry: 'victim' } })
  })

  // For any records with any value bytes, parsing what paxRecord wrote gives the same keys and values back.
  it('parsePaxRecords reads back what paxRecord writes', () => {
    const key = fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !k.includes('=') && !k.includes('\0'))
    fc.assert(
      fc.property(fc.array(fc.tuple(key, fc.uint8Array({ maxLength: 300 })), { maxLength: 6 }), (recs) => {
        const got = parsePaxRecords(Buffer.concat(recs.map(([k, v]) => paxRecord(k, v))))
        expect(E.isRight(got) && got.right.map((r) => [r.key, [...r.value]])).toEqual(recs.map(([k, v]) => [k, [...v]]))
      }),
      { numRuns: 100 },
    )
  })
})
