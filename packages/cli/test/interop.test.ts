// Interoperability with umoci, skopeo and GNU tar: the same trees from the same images, and layouts each side reads.
import { mkdir, mkdtemp, rm, writeFile, chmod, link, symlink, utimes } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect } from 'vitest'
import { layerBlob, sha256, writeImageLayout } from '@stratum/core'
import { hostFileTree } from '@stratum/zfs-driver'
import { buildTar } from '../src/demo/tar.js'
import { DEMO_LAYERS } from '../src/demo/image.js'
import { compareManifests, type Manifest, manifestOf } from '../src/tree/manifest.js'
import { jsonAt } from './helpers.js'
import { hasTool, itWith, sh } from './interop-tools.js'

const tools = { umoci: await hasTool('umoci'), skopeo: await hasTool('skopeo'), tar: await hasTool('tar') }
const withUmoci = itWith({ umoci: tools.umoci })
const withUmociTar = itWith({ umoci: tools.umoci, tar: tools.tar })
const withSkopeo = itWith({ umoci: tools.umoci, skopeo: tools.skopeo })

const manifestAt = async (dir: string): Promise<Manifest> => {
  const m = await manifestOf(hostFileTree(dir, { readOnly: true }))()
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}

let work = ''
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'stratum-interop-'))
})
afterAll(async () => {
  if (work !== '') await rm(work, { recursive: true, force: true })
})

/** umoci's own way of making layers: unpack a bundle, change its rootfs, repack it as a new tag. */
const umociLayer = async (
  layout: string,
  from: string,
  to: string,
  change: (rootfs: string) => Promise<void>,
): Promise<void> => {
  const bundle = join(work, `bundle-${to}-${Math.random().toString(36).slice(2)}`)
  await sh(work, 'umoci', 'unpack', '--rootless', '--image', `${layout}:${from}`, bundle)
  await change(join(bundle, 'rootfs'))
  await sh(work, 'umoci', 'repack', '--image', `${layout}:${to}`, bundle)
}

/** A three-layer umoci image: files, modes (setuid, sticky, 0600/0750), hardlinks, symlinks, a fifo; then deletions and type changes. */
const buildUmociImage = async (layout: string): Promise<void> => {
  await sh(work, 'umoci', 'init', '--layout', layout)
  await sh(work, 'umoci', 'new', '--image', `${layout}:v0`)
  await umociLayer(layout, 'v0', 'v1', async (r) => {
    for (const d of ['etc', 'bin', 'usr/lib', 'usr/share/doc', 'tmp', 'data'])
      await mkdir(join(r, d), { recursive: true })
    await writeFile(join(r, 'etc/hosts'), '127.0.0.1 localhost\n')
    await utimes(join(r, 'etc/hosts'), 1_588_672_800, 1_588_672_800)
    await writeFile(join(r, 'bin/sh'), '#!sh\n', { mode: 0o755 })
    await link(join(r, 'bin/sh'), join(r, 'bin/busybox'))
    await writeFile(join(r, 'bin/su'), 'su\n')
    await chmod(join(r, 'bin/su'), 0o4755)
    await chmod(join(r, 'tmp'), 0o1777)
    await writeFile(join(r, 'usr/lib/libx.so.1'), 'lib\n')
    await symlink('libx.so.1', join(r, 'usr/lib/libx.so'))
    await link(join(r, 'usr/lib/libx.so.1'), join(r, 'usr/lib/libx.so.1.0'))
    await symlink('/etc/hosts', join(r, 'etc/hosts.link'))
    await writeFile(join(r, 'usr/share/doc/README'), 'doc\n')
    await writeFile(join(r, 'data/private'), 'secret\n')
    await chmod(join(r, 'data/private'), 0o600)
    await chmod(join(r, 'data'), 0o750)
    await sh(r, 'mkfifo', 'tmp/fifo')
  })
  await umociLayer(layout, 'v1', 'v2', async (r) => {
    await rm(join(r, 'etc/hosts.link'))
    await rm(join(r, 'usr/share/doc'), { recursive: true })
    await rm(join(r, 'bin/busybox'))
    await link(join(r, 'bin/sh'), join(r, 'bin/ash'))
    await writeFile(join(r, 'etc/new.conf'), 'new\n')
  })
  await umociLayer(layout, 'v2', 'v3', async (r) => {
    await rm(join(r, 'data'), { recursive: true })
    await writeFile(join(r, 'data'), 'now a file\n')
    await rm(join(r, 'etc/hosts'))
    await mkdir(join(r, 'etc/hosts'))
    await writeFile(join(r, 'etc/hosts/x'), 'inside\n')
  })
}

describe('interop with umoci', () => {
  let layout = ''
  let state = ''
  let top = ''
  beforeAll(async () => {
    if (!tools.umoci) return
    layout = join(work, 'umoci-img')
    state = join(work, 'umoci-state')
    await mkdir(state)
    await buildUmociImage(layout)
    top = (await jsonAt(state)<{ top: string }>('extract', `${layout}:v3`)).top
  })

  withUmoci('stratum extract + export of a umoci-built image gives the tree of umoci unpack --rootless', async () => {
    const ours = join(work, 'ours-v3')
    await jsonAt(state)('export', top, ours)
    await sh(work, 'umoci', 'unpack', '--rootless', '--image', `${layout}:v3`, join(work, 'ref-v3'))
    const [a, b] = [await manifestAt(ours), await manifestAt(join(work, 'ref-v3', 'rootfs'))]
    expect(compareManifests(a, b)).toEqual([])
    // and the tree is what the three layers say
    expect(a.has('etc/hosts.link') || a.has('usr/share/doc') || a.has('bin/busybox') || a.has('data/private')).toBe(
      false,
    )
    // a hardlink made in one layer stays one; a link made later to a lower file is a copy in umoci's layer
    expect(a.get('usr/lib/libx.so.1')?.links).toEqual(['usr/lib/libx.so.1.0'])
    expect(a.get('bin/sh')?.links).toEqual([])
    expect(a.get('bin/ash')?.sha256).toBe(a.get('bin/sh')?.sha256)
    expect(a.get('bin/su')?.mode).toBe(0o4755)
    expect(a.get('tmp')?.mode).toBe(0o1777)
    expect(a.get('tmp/fifo')?.type).toBe('|')
    expect(a.get('usr/lib/libx.so')?.target).toBe('libx.so.1')
    expect(a.get('data')?.type).toBe('F')
    expect(a.get('etc/hosts')?.type).toBe('/')
  })

  withUmoci(
    'a layer from stratum package, added with umoci raw add-layer, unpacks to the tree stratum exports',
    async () => {
      const change = join(work, 'change.tar')
      await writeFile(
        change,
        buildTar([
          { path: 'etc', type: 'dir' },
          { path: 'etc/.wh.new.conf' },
          { path: 'etc/app', body: 'app\n', mode: 0o640 },
          { path: 'bin', type: 'dir' },
          { path: 'bin/.wh.su' },
          { path: 'bin/ksh', type: 'hardlink', linkname: 'bin/sh' },
          { path: 'usr', type: 'dir' },
          { path: 'usr/.wh..wh..opq' },
          { path: 'usr/bin', type: 'dir' },
          { path: 'usr/bin/env', type: 'symlink', linkname: '../../bin/sh' },
          { path: 'srv', type: 'dir', mode: 0o700 },
          { path: 'srv/big', body: 'x'.repeat(70_000), mtimeMs: 1_234_567_890_000 },
        ]),
      )
      const json = jsonAt(state)
      await json('start', 'pkg', top)
      await json('apply', 'pkg', change)
      const commit = await json<{ chainId: string; diffId: string }>('commit', 'pkg')
      const layerTar = join(work, 'pkg.tar')
      const pkg = await json<{ diffId: string }>('package', commit.chainId, '-o', layerTar)
      expect(pkg.diffId).toBe(commit.diffId)

      await sh(work, 'umoci', 'raw', 'add-layer', '--image', `${layout}:v3`, '--tag', 'v4', layerTar)
      await sh(work, 'umoci', 'unpack', '--rootless', '--image', `${layout}:v4`, join(work, 'ref-v4'))
      const ours = join(work, 'ours-v4')
      await json('export', commit.chainId, ours)
      const [a, b] = [await manifestAt(ours), await manifestAt(join(work, 'ref-v4', 'rootfs'))]
      expect(compareManifests(a, b)).toEqual([])
      expect(a.has('usr/lib') || a.has('bin/su') || a.has('etc/new.conf')).toBe(false)
      expect(a.get('bin/sh')?.links).toEqual(['bin/ksh'])
      // and stratum reads back the image umoci wrote around its layer: same chainID on top
      const again = await json<{ top: string; layers: { reused: boolean }[] }>('extract', `${layout}:v4`)
      expect(again.top).toBe(commit.chainId)
      expect(again.layers.every((l) => l.reused)).toBe(true)
    },
  )

  withUmociTar('GNU tar lists a packaged layer: whiteouts, hardlinks, symlinks, modes', async () => {
    const json = jsonAt(state)
    const change = join(work, 'change-tar.tar')
    await writeFile(
      change,
      buildTar([
        { path: 'etc', type: 'dir' },
        { path: 'etc/.wh.hosts' },
        { path: 'bin', type: 'dir' },
        { path: 'bin/rsh', type: 'hardlink', linkname: 'bin/sh' },
        { path: 'bin/link', type: 'symlink', linkname: 'sh' },
        { path: 'bin/suid', body: 's\n', mode: 0o4711 },
      ]),
    )
    await json('start', 'tarcheck', top)
    await json('apply', 'tarcheck', change)
    const commit = await json<{ chainId: string }>('commit', 'tarcheck')
    const file = join(work, 'tarcheck.tar')
    await json('package', commit.chainId, '-o', file)
    const listing = await sh(work, 'tar', '-tvf', file)
    expect(listing).toMatch(/^-{10} 0\/0 +0 .* etc\/\.wh\.hosts$/m)
    expect(listing).toMatch(/^h.* bin\/rsh link to bin\/sh$/m)
    expect(listing).toMatch(/^lrwxrwxrwx .* bin\/link -> sh$/m)
    expect(listing).toMatch(/^-rws--x--x 0\/0 +2 .* bin\/suid$/m)
    expect((await sh(work, 'tar', '-tf', file)).split('\n').filter(Boolean)).toEqual([
      './',
      'bin/',
      'bin/link',
      'bin/rsh',
      'bin/suid',
      'etc/',
      'etc/.wh.hosts',
    ])
  })

  withUmoci(
    'umoci unpack of the layout the core writes (the demo image, os linux) gives the tree stratum exports',
    async () => {
      const demo = join(work, 'demo-img')
      const blobs = DEMO_LAYERS.map((l, i) => layerBlob(buildTar(l), i === 1 ? 'none' : 'gzip'))
      const written = await writeImageLayout(demo, 'demo', blobs, { os: 'linux', architecture: 'amd64' })()
      if (E.isLeft(written)) throw new Error(JSON.stringify(written.left))
      const dstate = join(work, 'demo-state')
      await mkdir(dstate)
      const x = await jsonAt(dstate)<{ top: string }>('extract', `${demo}:demo`)
      await jsonAt(dstate)('export', x.top, join(work, 'demo-ours'))
      // a full unpack: umoci reads the config (os linux) and makes a runtime bundle around rootfs/
      await sh(work, 'umoci', 'unpack', '--rootless', '--image', `${demo}:demo`, join(work, 'demo-ref'))
      expect(
        compareManifests(await manifestAt(join(work, 'demo-ours')), await manifestAt(join(work, 'demo-ref', 'rootfs'))),
      ).toEqual([])
    },
  )
})

describe('interop with skopeo', () => {
  withSkopeo(
    'skopeo copy oci: -> oci: of a umoci image and of a core-written image is read by the layout reader',
    async () => {
      const src = join(work, 'sk-src')
      await buildUmociImage(src)
      const state = join(work, 'sk-state')
      await mkdir(state)
      const original = await jsonAt(state)<{ top: string; layers: { chainId: string }[] }>('extract', `${src}:v3`)
      await sh(work, 'skopeo', 'copy', `oci:${src}:v3`, `oci:${join(work, 'sk-dst')}:copied`)
      const copied = await jsonAt(state)<{ top: string; layers: { chainId: string; reused: boolean }[] }>(
        'extract',
        `${join(work, 'sk-dst')}:copied`,
      )
      expect(copied.top).toBe(original.top)
      expect(copied.layers.map((l) => l.chainId)).toEqual(original.layers.map((l) => l.chainId))
      expect(copied.layers.every((l) => l.reused)).toBe(true)

      const ours = join(work, 'sk-ours')
      const tars = DEMO_LAYERS.map((l) => buildTar(l))
      const w = await writeImageLayout(
        ours,
        'demo',
        tars.map((t) => layerBlob(t)),
      )()
      if (E.isLeft(w)) throw new Error(JSON.stringify(w.left))
      await sh(work, 'skopeo', 'copy', `oci:${ours}:demo`, `oci:${join(work, 'sk-ours-copy')}:again`)
      const fresh = join(work, 'sk-state-2')
      await mkdir(fresh)
      const read = await jsonAt(fresh)<{ layers: { chainId: string; diffId: string }[] }>(
        'extract',
        `${join(work, 'sk-ours-copy')}:again`,
      )
      expect(read.layers.map((l) => l.diffId)).toEqual(tars.map((t) => sha256(t)))
      expect(read.layers.map((l) => l.chainId)).toEqual(w.right.chainIds)
    },
  )
})
