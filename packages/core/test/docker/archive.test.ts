// docker save archives: both forms extract to the chainIDs of the same layers in an OCI layout; hostile members are typed errors naming them.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { createSimDriver } from '@stratum/sim-driver'
import * as tar from 'tar-stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { asDiffId, chainIds, digestHex, sha256 } from '../../src/oci/digest.js'
import { openLayerStore } from '../../src/store/open.js'
import { BASE, fail, ok } from '../store/helpers.js'
import { makeTar } from '../store/tar.js'

type Member = { name: string; body?: Uint8Array | string; linkname?: string; type?: 'symlink' | 'link' | 'directory' }

const archive = async (members: readonly Member[]): Promise<Buffer> => {
  const pack = tar.pack()
  const chunks: Buffer[] = []
  const done = new Promise<void>((resolve, reject) => {
    pack.on('data', (c: unknown) => chunks.push(c as Buffer))
    pack.on('end', resolve)
    pack.on('error', reject)
  })
  for (const m of members) {
    if (m.type === 'symlink' || m.type === 'link') pack.entry({ name: m.name, type: m.type, linkname: m.linkname })
    else if (m.type === 'directory') pack.entry({ name: m.name, type: 'directory' })
    else pack.entry({ name: m.name }, Buffer.from(m.body ?? ''))
  }
  pack.finalize()
  await done
  return Buffer.concat(chunks)
}

let root: string
let tars: Uint8Array[]
let config: Buffer
let configHex: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stratum-docker-'))
  tars = [await makeTar([{ path: 'a', content: 'one' }]), await makeTar([{ path: 'b', content: 'two' }])]
  config = Buffer.from(
    JSON.stringify({
      os: 'linux',
      architecture: 'amd64',
      rootfs: { type: 'layers', diff_ids: tars.map((x) => sha256(x)) },
    }),
  )
  configHex = digestHex(sha256(config))
})
afterAll(() => rm(root, { recursive: true, force: true }))

/** The classic form: `<id>/layer.tar`, `<hex>.json`, manifest.json and repositories last, as docker save writes them. */
const classic = (
  layers: readonly Member[] = [
    { name: 'l1/layer.tar', body: tars[0]! },
    { name: 'l2/layer.tar', body: tars[1]! },
  ],
): Member[] => [
  { name: 'l1', type: 'directory' },
  ...layers,
  { name: `${configHex}.json`, body: config },
  {
    name: 'manifest.json',
    body: JSON.stringify([
      { Config: `${configHex}.json`, RepoTags: ['web:1.0'], Layers: ['l1/layer.tar', 'l2/layer.tar'] },
    ]),
  },
  { name: 'repositories', body: JSON.stringify({ web: { '1.0': 'l2' } }) },
]

const write = async (name: string, members: readonly Member[]): Promise<string> => {
  const p = join(root, name)
  await writeFile(p, await archive(members))
  return p
}

const store = () => ok(openLayerStore(createSimDriver(), BASE))

describe('docker archives', () => {
  it('the classic form extracts to the layers chainIDs, recorded under its repo tag', async () => {
    const s = await store()
    const got = await ok(s.extractArchive(await write('classic.tar', classic()), undefined))
    expect(got.layers.map((l) => l.chainId)).toEqual(chainIds(tars.map((x) => asDiffId(sha256(x)))))
    expect(got.name).toBe('web:1.0')
    expect((await ok(s.listImages()))[0]).toMatchObject({
      name: 'web:1.0',
      platform: 'linux/amd64',
      config: sha256(config),
    })
  })

  it('a layer member that is a symlink to another inside the archive (docker save dedups so) is followed', async () => {
    const s = await store()
    const dup = classic([
      { name: 'l1/layer.tar', body: tars[0]! },
      { name: 'l2/layer.tar', body: tars[1]! },
    ]).map((m) =>
      m.name === 'l2/layer.tar' ? { name: 'l2/layer.tar', type: 'symlink' as const, linkname: '../l3/layer.tar' } : m,
    )
    const p = await write('dedup.tar', [...dup, { name: 'l3/layer.tar', body: tars[1]! }])
    expect((await ok(s.extractArchive(p, 'web:1.0'))).top).toBe(chainIds(tars.map((x) => asDiffId(sha256(x))))[1])
  })

  it('a layer member that is a hard link to another member is read as that member', async () => {
    const members = classic([
      { name: 'l1/layer.tar', body: tars[0]! },
      { name: 'l3/layer.tar', body: tars[1]! },
      { name: 'l2/layer.tar', type: 'link', linkname: './l3/layer.tar' },
    ])
    const got = await ok((await store()).extractArchive(await write('hard.tar', members), 'web:1.0'))
    expect(got.top).toBe(chainIds(tars.map((x) => asDiffId(sha256(x))))[1])
  })

  it('a zstd layer is named by its magic number, not misread as a tar', async () => {
    const zstdish = Buffer.concat([Buffer.from([0x28, 0xb5, 0x2f, 0xfd]), Buffer.alloc(60)])
    const members = classic([
      { name: 'l1/layer.tar', body: tars[0]! },
      { name: 'l2/layer.tar', body: zstdish },
    ])
    const e = await fail((await store()).extractArchive(await write('zstd.tar', members), undefined))
    expect(JSON.stringify(e)).toContain('zstd')
  })

  it('the form with an OCI layout inside: blobs named by digest (verified), gzip layers read by their first bytes', async () => {
    const gz = gzipSync(tars[0]!)
    const hexes = [digestHex(sha256(gz)), digestHex(sha256(tars[1]!))]
    const members = (first: string): Member[] => [
      { name: 'blobs/sha256/', type: 'directory' },
      { name: `blobs/sha256/${first}`, body: gz },
      { name: `blobs/sha256/${hexes[1]}`, body: tars[1]! },
      { name: `blobs/sha256/${configHex}`, body: config },
      { name: 'oci-layout', body: '{"imageLayoutVersion":"1.0.0"}' },
      {
        name: 'manifest.json',
        body: JSON.stringify([
          {
            Config: `blobs/sha256/${configHex}`,
            RepoTags: null,
            Layers: [`blobs/sha256/${first}`, `blobs/sha256/${hexes[1]}`],
          },
        ]),
      },
    ]
    const s = await store()
    const got = await ok(s.extractArchive(await write('app.tar', members(hexes[0]!)), undefined))
    expect(got.top).toBe(chainIds(tars.map((x) => asDiffId(sha256(x))))[1])
    expect(got.name).toBe('app:latest')
    const wrong = 'f'.repeat(64)
    expect(
      await fail((await store()).extractArchive(await write('wrong.tar', members(wrong)), undefined)),
    ).toMatchObject({
      _tag: 'DigestMismatch',
      expected: `sha256:${wrong}`,
    })
  })

  it('a missing ref is ReferenceNotFound listing the repo tags', async () => {
    const e = await fail((await store()).extractArchive(await write('tags.tar', classic()), 'db:2'))
    expect(e).toMatchObject({ _tag: 'ReferenceNotFound', name: 'db:2' })
    expect(JSON.stringify(e)).toContain('web:1.0')
  })

  it.each([
    ['a ../ member name', [{ name: '../evil', body: 'x' }], { _tag: 'UnsafePath', entry: '../evil' }],
    ['an absolute member name', [{ name: '/etc/x', body: 'x' }], { _tag: 'UnsafePath', entry: '/etc/x' }],
    [
      'a layer symlinked out of the archive',
      [{ name: 'l2/layer.tar', type: 'symlink', linkname: '/etc/passwd' }],
      { _tag: 'UnsafePath', entry: 'l2/layer.tar' },
    ],
    [
      'a layer symlinked above the archive',
      [{ name: 'l2/layer.tar', type: 'symlink', linkname: '../../x' }],
      { _tag: 'UnsafePath', entry: 'l2/layer.tar' },
    ],
    [
      'a layer that is a directory',
      [{ name: 'l2/layer.tar', type: 'directory' }],
      { _tag: 'CorruptLayer', entry: 'l2/layer.tar' },
    ],
  ] as const)('%s is a typed error naming the member, nothing extracted', async (_, extra, expected) => {
    const members = classic([{ name: 'l1/layer.tar', body: tars[0]! }, ...(extra as readonly Member[])])
    const s = await store()
    expect(await fail(s.extractArchive(await write('hostile.tar', members), undefined))).toMatchObject(expected)
    expect(await ok(s.listLayers())).toEqual([])
  })

  it('a missing manifest.json, a truncated archive and an oversized config are typed errors naming what', async () => {
    const s = await store()
    const none = await write('none.tar', [{ name: 'x', body: 'x' }])
    expect(await fail(s.extractArchive(none, undefined))).toMatchObject({
      _tag: 'CorruptLayer',
      entry: 'manifest.json',
    })
    const whole = await archive(classic())
    const cut = join(root, 'cut.tar')
    await writeFile(cut, whole.subarray(0, 512 + 100))
    expect(await fail(s.extractArchive(cut, undefined))).toMatchObject({ _tag: 'CorruptLayer' })
    const big = await write('big.tar', [
      { name: 'c.json', body: 'x'.repeat(4 * 1024 * 1024 + 1) },
      { name: 'manifest.json', body: JSON.stringify([{ Config: 'c.json', Layers: [] }]) },
    ])
    expect(await fail(s.extractArchive(big, undefined))).toMatchObject({ _tag: 'LimitExceeded' })
  })

  it('a library caller passing a non-string file or ref gets InvalidName, not a TypeError', async () => {
    const s = await store()
    expect(await fail(s.extractArchive(42 as never, undefined))).toMatchObject({
      _tag: 'InvalidName',
      name: 'extractArchive arguments',
    })
    expect(await fail(s.extractArchive('a.tar', 7 as never))).toMatchObject({ _tag: 'InvalidName' })
  })
})
