import { extract } from 'tar-stream'
import { describe, expect, it } from 'vitest'
import type { TarEntry } from '@stratum/core'
import { devMajor, devMinor, encodeHeader, END_OF_ARCHIVE, makedev, paxRecord, paxTime } from '@stratum/core/internal'

/** Parses bytes with tar-stream (the reader the applier uses) into headers and contents. */
const parse = async (bytes: Uint8Array): Promise<{ header: Record<string, unknown>; data: string }[]> => {
  const ex = extract()
  const out: { header: Record<string, unknown>; data: string }[] = []
  ex.end(Buffer.from(bytes))
  for await (const e of ex) {
    const chunks: Buffer[] = []
    for await (const c of e) chunks.push(c as Buffer)
    out.push({ header: e.header as unknown as Record<string, unknown>, data: Buffer.concat(chunks).toString() })
  }
  return out
}
const tarOf = (entries: readonly [TarEntry, string?][]): Uint8Array =>
  Buffer.concat([
    ...entries.flatMap(([e, data]) => {
      const body = Buffer.from(data ?? '')
      return [encodeHeader(e), body, Buffer.alloc((512 - (body.length % 512)) % 512)]
    }),
    END_OF_ARCHIVE,
  ])
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

describe('tar headers', () => {
  it('a plain entry is one ustar block that tar-stream reads back', async () => {
    const h = encodeHeader(file('a/b', { mode: 0o4755, uid: 1000, gid: 100, size: 3 }))
    expect(h.length).toBe(512)
    const [e] = await parse(tarOf([[file('a/b', { mode: 0o4755, uid: 1000, gid: 100, size: 3 }), 'abc']]))
    expect(e!.header).toMatchObject({
      name: 'a/b',
      type: 'file',
      mode: 0o4755,
      uid: 1000,
      gid: 100,
      size: 3,
      uname: '',
      gname: '',
    })
    expect(e!.data).toBe('abc')
  })

  it('directories end in a slash and the root is ./', async () => {
    const es = await parse(tarOf([[{ ...file(''), type: 'dir' }], [{ ...file('d'), type: 'dir' }]]))
    expect(es.map((e) => [e.header.name, e.header.type])).toEqual([
      ['./', 'directory'],
      ['d/', 'directory'],
    ])
  })

  it('a 150-byte ASCII path uses the ustar prefix, a 4000-byte one and a non-ASCII one use PAX', async () => {
    const p150 = `${'d'.repeat(60)}/${'e'.repeat(89)}`
    const p4000 = Array.from({ length: 400 }, () => 'abcdefghi')
      .join('/')
      .slice(0, 4000)
    expect(encodeHeader(file(p150)).length).toBe(512)
    expect(encodeHeader(file(p4000)).length).toBeGreaterThan(512)
    const es = await parse(
      tarOf([
        [file(p150)],
        [file(p4000)],
        [file('caf\u00e9')],
        [{ ...file('l'), type: 'symlink', linkname: 'x'.repeat(150) }],
      ]),
    )
    expect(es.map((e) => e.header.name)).toEqual([p150, p4000, 'caf\u00e9', 'l'])
    expect(es[3]!.header.linkname).toBe('x'.repeat(150))
  })

  it('sub-second and negative mtimes go to PAX, whole seconds do not', async () => {
    expect(paxTime(1500)).toBe('1.5')
    expect(paxTime(1234)).toBe('1.234')
    expect(paxTime(-1500)).toBe('-1.5')
    expect(paxTime(2000)).toBe('2')
    expect(encodeHeader(file('a', { mtimeMs: 1000 })).length).toBe(512)
    const [e] = await parse(tarOf([[file('a', { mtimeMs: 1_700_000_000_123 })]]))
    expect((e!.header.pax as Record<string, string>).mtime).toBe('1700000000.123')
  })

  it('xattrs become SCHILY.xattr records with sorted keys', async () => {
    const x = (s: string): Uint8Array => Buffer.from(s)
    const a = encodeHeader(
      file('a', {
        xattrs: [
          ['user.b', x('2')],
          ['user.a', x('1')],
        ],
      }),
    )
    const b = encodeHeader(
      file('a', {
        xattrs: [
          ['user.a', x('1')],
          ['user.b', x('2')],
        ],
      }),
    )
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
    const [e] = await parse(
      tarOf([
        [
          file('a', {
            xattrs: [
              ['user.b', x('2')],
              ['user.a', x('1')],
            ],
          }),
        ],
      ]),
    )
    expect(e!.header.pax).toEqual({ 'SCHILY.xattr.user.a': '1', 'SCHILY.xattr.user.b': '2' })
  })

  it('big ids go to PAX', async () => {
    const [e] = await parse(tarOf([[file('a', { uid: 3_000_000, gid: 2_097_152 })]]))
    expect(e!.header.pax).toEqual({ uid: '3000000', gid: '2097152' })
  })

  it('PAX record lengths count themselves, across a digit boundary', () => {
    for (let n = 0; n < 120; n++) {
      const r = Buffer.from(paxRecord('k', Buffer.from('v'.repeat(n))))
      expect(Number(r.toString().split(' ')[0])).toBe(r.length)
    }
  })

  it('devices carry major and minor', async () => {
    const [e] = await parse(tarOf([[{ ...file('null'), type: 'char', devmajor: 1, devminor: 3 }]]))
    expect(e!.header).toMatchObject({ type: 'character-device', devmajor: 1, devminor: 3 })
  })
})

describe('device numbers', () => {
  it.each([
    [1, 3],
    [8, 0],
    [259, 65536],
    [4095, 1048575],
    [5000, 2],
  ])('makedev(%i, %i) splits back', (ma, mi) => {
    expect([devMajor(makedev(ma, mi)), devMinor(makedev(ma, mi))]).toEqual([ma, mi])
  })
  it('matches the Linux encoding', () => {
    expect(makedev(1, 3)).toBe(0x103)
    expect(makedev(8, 17)).toBe(0x811)
    expect(makedev(259, 65536)).toBe(0x10010300)
  })
})
