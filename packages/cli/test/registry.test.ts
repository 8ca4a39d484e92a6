// Pull from a real registry (docker-registry, htpasswd auth): skopeo pushes an image, and
// `stratum pull` gives the chainIDs and tree that `skopeo copy` to a layout and `stratum extract`
// give; a second pull reuses every layer; bad credentials, a missing tag and a corrupted blob
// are typed errors naming them, with nothing published; the registry process killed mid-blob and
// restarted on its storage: the next pull fetches only the layers that had not finished.
import { randomBytes } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { datasetName, layerBlob, openLayerStore, writeImageLayout } from '@stratum/core'
import { BLOB_RESUMES } from '@stratum/core/internal'
import { unwrap } from '@stratum/core/testing'
import { createSimDriver } from '@stratum/sim-driver'
import { hostFileTree } from '@stratum/zfs-driver'
import { DEMO_LAYERS } from '../src/demo/image.js'
import { buildTar } from '../src/demo/tar.js'
import { compareManifests, manifestOf } from '../src/tree/manifest.js'
import { cliAt, jsonAt, tempDir } from './helpers.js'
import { hasTool, sh } from './interop-tools.js'
import { REGISTRY_USER, startRegistry, startTokenFront, type TestRegistry } from './registry-server.js'
import { startTokenService, type TokenService } from './token-service.js'

const tools = {
  umoci: await hasTool('umoci'),
  'docker-registry': await hasTool('docker-registry'),
  skopeo: await hasTool('skopeo'),
  htpasswd: await sh('/', 'htpasswd', '-Bbn', 'a', 'b').then(
    () => true,
    () => false,
  ),
}
const missing = Object.entries(tools).filter(([, ok]) => !ok)

interface Pulled {
  readonly name: string
  readonly top: string
  readonly layers: readonly { readonly chainId: string; readonly reused: boolean }[]
}

let reg: TestRegistry | undefined
let tokens: TokenService | undefined
/** a registry whose auth is the token service's */
let treg: TestRegistry | undefined
let demoChainIds: readonly string[] = []
let work = ''
const creds = () => `${reg!.user}:${reg!.password}`
const ref = (tag: string) => `${reg!.host}/stratum/demo:${tag}`

beforeAll(async () => {
  if (missing.length > 0) return
  reg = await startRegistry()
  work = await mkdtemp(join(tmpdir(), 'stratum-registry-test-'))
  const w = await writeImageLayout(
    join(work, 'demo'),
    'v1',
    DEMO_LAYERS.map((l) => layerBlob(buildTar(l))),
    {
      os: 'linux',
      architecture: 'amd64',
    },
  )()
  if (E.isLeft(w)) throw new Error(JSON.stringify(w.left))
  demoChainIds = w.right.chainIds
  tokens = await startTokenService({
    [REGISTRY_USER.user]: { password: REGISTRY_USER.password, actions: ['pull', 'push'] },
    reader: { password: 'read-secret', actions: ['pull'] },
  })
  treg = await startRegistry(tokens)
  for (const to of [ref('v1'), ref('v2'), `${treg.host}/stratum/demo:v1`])
    await sh(
      work,
      'skopeo',
      'copy',
      '--dest-tls-verify=false',
      '--dest-creds',
      creds(),
      `oci:${join(work, 'demo')}:v1`,
      `docker://${to}`,
    )
})
afterAll(async () => {
  await reg?.stop()
  await treg?.stop()
  await tokens?.stop()
  if (work !== '') await rm(work, { recursive: true, force: true })
})

/** `skopeo copy` from the test registry into an OCI layout. */
const copyOut = (from: string, to: string) =>
  sh(work, 'skopeo', 'copy', '--src-tls-verify=false', '--src-creds', creds(), `docker://${from}`, `oci:${to}`)

const treeAt = async (d: string) => {
  const m = await manifestOf(hostFileTree(d, { readOnly: true }))()
  if (E.isLeft(m)) throw new Error(JSON.stringify(m.left))
  return m.right
}

const exported = async (dir: string, top: string) => {
  const out = join(dir, 'out')
  await jsonAt(dir)('export', top, out)
  return treeAt(out)
}

describe('stratum pull from a registry', () => {
  it('the tools are installed (a missing one fails this file, never skips it)', () => {
    expect(
      missing.map(([t]) => t),
      'apt-get install -y docker-registry skopeo umoci apache2-utils',
    ).toEqual([])
  })

  it('gives the chainIDs and tree of skopeo copy + extract; a second pull reuses every layer', async () => {
    const viaLayout = await tempDir()
    await copyOut(ref('v1'), `${join(viaLayout, 'l')}:v1`)
    const extracted = await jsonAt(viaLayout)<Pulled>('extract', `${join(viaLayout, 'l')}:v1`)
    const dir = await tempDir()
    const pulled = await jsonAt(dir)<Pulled>('pull', '--insecure', '--creds', creds(), ref('v1'))
    expect(Object.keys(pulled).sort()).toEqual(['layers', 'name', 'top']) // docs/cli-json.md: as extract (version checked by jsonAt)
    expect(pulled.name).toBe(ref('v1'))
    expect(pulled.layers.map((l) => l.chainId)).toEqual(extracted.layers.map((l) => l.chainId))
    expect(pulled.layers.every((l) => !l.reused)).toBe(true)
    expect(await exported(dir, pulled.top)).toEqual(await exported(viaLayout, extracted.top))
    const again = await jsonAt(dir)<Pulled>('pull', '--insecure', '--creds', creds(), ref('v2'))
    expect(again.layers.every((l) => l.reused)).toBe(true)
    expect((await jsonAt(dir)<{ images: { name: string }[] }>('ls', 'images')).images.map((i) => i.name)).toEqual([
      ref('v1'),
      ref('v2'),
    ])
  })

  it('mirrors: the first that has the image serves it, one unreachable passes to the next, then the reference itself', async () => {
    const dir = await tempDir()
    const gone = '127.0.0.1:9' // nothing listens there
    const pull = (...args: string[]) => jsonAt(dir)<Pulled>('pull', '--insecure', '--creds', creds(), ...args)
    const upstream = `${gone}/stratum/demo:v1`
    const viaMirror = await pull('--mirror', gone, '--mirror', reg!.host, upstream)
    expect(viaMirror.name).toBe(upstream)
    expect(viaMirror.layers.every((l) => !l.reused)).toBe(true)
    const itself = await pull('--mirror', gone, ref('v2'))
    expect(itself.layers.every((l) => l.reused)).toBe(true)
    const none = await cliAt(dir)('pull', '--insecure', '--mirror', gone, `${gone}/stratum/demo:v2`)
    expect(none.stderr).toContain(`stratum: Registry: ${gone}/stratum/demo v2: unreachable`)
    const bad = await cliAt(dir)('pull', '--insecure', '--mirror', 'not a host', ref('v1'))
    expect(bad.stderr).toContain('pull options')
    expect((await jsonAt(dir)<{ images: { name: string }[] }>('ls', 'images')).images.map((i) => i.name)).toEqual(
      [upstream, ref('v2')].sort(),
    )
  })

  it('credentials from $REGISTRY_AUTH_FILE; wrong ones, none, and a missing tag are Registry errors naming them', async () => {
    const dir = await tempDir()
    const auth = join(dir, 'auth.json')
    await writeFile(auth, JSON.stringify({ auths: { [reg!.host]: { auth: Buffer.from(creds()).toString('base64') } } }))
    const saved = process.env.REGISTRY_AUTH_FILE
    process.env.REGISTRY_AUTH_FILE = auth
    try {
      expect((await cliAt(dir)('pull', '--insecure', ref('v1'))).code).toBe(0)
    } finally {
      if (saved === undefined) delete process.env.REGISTRY_AUTH_FILE
      else process.env.REGISTRY_AUTH_FILE = saved
    }
    const repo = `${reg!.host}/stratum/demo`
    const wrong = await cliAt(dir)('pull', '--insecure', '--creds', `${reg!.user}:nope`, ref('v1'))
    expect(wrong.stderr).toBe(`stratum: Registry: ${repo} v1: HTTP 401: UNAUTHORIZED: authentication required\n`)
    const none = await cliAt(dir)('pull', '--insecure', ref('v1'))
    expect(none.stderr).toContain(`Registry: ${repo} v1: HTTP 401: credentials required`)
    const tag = await cliAt(dir)('pull', '--insecure', '--creds', creds(), ref('nosuch'))
    expect(tag.stderr).toBe(`stratum: Registry: ${repo} nosuch: HTTP 404: MANIFEST_UNKNOWN: manifest unknown\n`)
    expect(tag.code).toBe(1)
  })

  it('push of a committed image: skopeo reads it back, umoci unpack of its copy equals export, a second push uploads nothing, pull gets its chainIDs', async () => {
    const dir = await tempDir()
    const json = jsonAt(dir)
    await json('extract', `${join(work, 'demo')}:v1`, '--name', 'demo:v1')
    await json('start', 'web', 'demo:v1')
    await writeFile(
      join(dir, 'change.tar'),
      buildTar([
        { path: 'srv', type: 'dir' },
        { path: 'srv/app', body: 'app\n', mode: 0o755 },
      ]),
    )
    await json('apply', 'web', join(dir, 'change.tar'))
    const commit = await json<{ chainId: string }>('commit', 'web')
    const target = `${reg!.host}/stratum/committed:c1`
    type Pushed = { reference: string; manifest: string; top: string; uploaded: string[]; present: string[] }
    const pushed = await json<Pushed>('push', '--insecure', '--creds', creds(), commit.chainId, target)
    expect(pushed.reference).toBe(target)
    expect(pushed.uploaded.length).toBe(DEMO_LAYERS.length + 2) // every layer, the new one and the config
    const inspected = JSON.parse(
      await sh(work, 'skopeo', 'inspect', '--tls-verify=false', '--creds', creds(), `docker://${target}`),
    )
    expect(inspected.Digest).toBe(pushed.manifest)
    const copy = join(dir, 'copy')
    await copyOut(target, `${copy}:c1`)
    await sh(dir, 'umoci', 'unpack', '--rootless', '--image', `${copy}:c1`, join(dir, 'bundle'))
    await json('export', commit.chainId, join(dir, 'ours'))
    expect(compareManifests(await treeAt(join(dir, 'ours')), await treeAt(join(dir, 'bundle', 'rootfs')))).toEqual([])
    const again = await json<Pushed>('push', '--insecure', '--creds', creds(), commit.chainId, target)
    expect([again.manifest, again.uploaded.length]).toEqual([pushed.manifest, 0])
    const fresh = await tempDir()
    const pulled = await jsonAt(fresh)<Pulled>('pull', '--insecure', '--creds', creds(), target)
    expect(pulled.top).toBe(pushed.top) // the chain as Stratum packages it (save's rule: lower layers from other tars may change ID)
  })

  it("a real token service (the registry's auth: token; ES256 JWTs whose x5c certificate it trusts): pull and push with credentials, wrong ones refused at the token endpoint, a push the token does not grant refused", async () => {
    const dir = await tempDir()
    const at = (name: string) => `${treg!.host}/${name}`
    const pulled = await jsonAt(dir)<Pulled>('pull', '--insecure', '--creds', creds(), at('stratum/demo:v1'))
    expect(pulled.layers.map((l) => l.chainId)).toEqual(demoChainIds)
    await jsonAt(dir)('start', 'web', at('stratum/demo:v1'))
    await writeFile(join(dir, 'change.tar'), buildTar([{ path: 'srv', type: 'dir' }]))
    await jsonAt(dir)('apply', 'web', join(dir, 'change.tar'))
    const commit = await jsonAt(dir)<{ chainId: string }>('commit', 'web')
    type Pushed = { manifest: string; top: string; uploaded: string[]; mounted: string[] }
    const pushed = await jsonAt(dir)<Pushed>(
      'push',
      '--insecure',
      '--creds',
      creds(),
      commit.chainId,
      at('stratum/pushed:p1'),
    )
    // the pull's token (pull only) would not do: the push asks again, with the mount's source repository too
    // (the registry's challenge names the two scopes in either order)
    const push = /^repository:stratum\/pushed:(pull,push|push,pull)$/
    const asked = (g: string) => {
      const [a, b, ...more] = g.split(' ')
      const pair = [a, b].sort((x, y) => (push.test(x ?? '') ? -1 : push.test(y ?? '') ? 1 : 0))
      return more.length === 0 && push.test(pair[0] ?? '') && pair[1] === 'repository:stratum/demo:pull'
    }
    expect(tokens!.granted.some(asked)).toBe(true)
    const inspected = JSON.parse(
      await sh(
        work,
        'skopeo',
        'inspect',
        '--tls-verify=false',
        '--creds',
        creds(),
        `docker://${at('stratum/pushed:p1')}`,
      ),
    ) as { Digest: string }
    expect(inspected.Digest).toBe(pushed.manifest)
    const wrong = await cliAt(dir)('pull', '--insecure', '--creds', `${REGISTRY_USER.user}:nope`, at('stratum/demo:v1'))
    expect(wrong.stderr).toBe(
      `stratum: Registry: ${treg!.host}/stratum/demo v1: HTTP 401: token endpoint ${new URL(tokens!.realm).origin}/token refused: Unauthorized\n`,
    )
    const reader = 'reader:read-secret'
    const read = await jsonAt(await tempDir())<Pulled>('pull', '--insecure', '--creds', reader, at('stratum/pushed:p1'))
    expect(read.top).toBe(pushed.top)
    const refused = await cliAt(dir)('push', '--insecure', '--creds', reader, commit.chainId, at('stratum/other:o1'))
    expect(refused.code).toBe(1)
    const [other, demo] = ['repository:stratum/other:(pull,push|push,pull)', 'repository:stratum/demo:pull'] // in either order
    expect(refused.stderr).toMatch(
      new RegExp(
        `^stratum: Registry: ${treg!.host}/stratum/other sha256:[0-9a-f]{64}: HTTP 401: not granted (${other} ${demo}|${demo} ${other}) \\(insufficient_scope\\): these credentials may not do that\n$`,
      ),
    )
    expect(tokens!.granted.at(-1)).not.toMatch(/push/) // the reader asked for push and was not granted it
  })

  it('through a token server (bearer flow): a download cut mid-blob is a Registry error naming the blob, nothing of it published; the next pull reuses the finished layers and completes', async () => {
    const front = await startTokenFront(reg!)
    try {
      const layout = JSON.parse(await sh(work, 'skopeo', 'inspect', '--raw', `oci:${join(work, 'demo')}:v1`)) as {
        layers: { digest: string }[]
      }
      const top = layout.layers[layout.layers.length - 1]!.digest
      const dir = await tempDir()
      const at = `${front.host}/stratum/demo:v1`
      // cut once: the download resumes from where it stopped (a Range request) and the pull completes
      const once = await tempDir()
      front.cutNext(top, 1)
      const resumed = await jsonAt(once)<Pulled>('pull', '--insecure', '--creds', creds(), at)
      expect(resumed.layers.every((l) => !l.reused)).toBe(true)
      expect(front.ranges).toEqual([expect.stringMatching(/^bytes=[1-9]\d*-$/)])
      // cut at every resume too: a Registry error naming the blob, nothing of that layer published
      front.cutNext(top, BLOB_RESUMES + 1)
      const cut = await cliAt(dir)('pull', '--insecure', '--creds', creds(), at)
      expect(cut.code).toBe(1)
      expect(cut.stderr).toMatch(
        new RegExp(`^stratum: Registry: ${front.host}/stratum/demo ${top}: download cut short at byte [1-9]`),
      )
      expect((await jsonAt(dir)<{ images: unknown[] }>('ls', 'images')).images).toEqual([])
      expect((await jsonAt(dir)<{ layers: unknown[] }>('ls', 'layers')).layers.length).toBe(DEMO_LAYERS.length - 1)
      const seen = front.requests.length
      const done = await jsonAt(dir)<Pulled>('pull', '--insecure', '--creds', creds(), at)
      expect(done.layers.map((l) => l.reused)).toEqual([...DEMO_LAYERS.slice(1).map(() => true), false])
      // downloads run ahead, but only of the layers the store lacks: the finished ones are never fetched
      const fetched = front.requests.slice(seen)
      for (const l of layout.layers.slice(0, -1)) expect(fetched.some((u) => u.includes(l.digest))).toBe(false)
      expect(fetched.some((u) => u.includes(`/blobs/${top}`))).toBe(true)
      const bad = await cliAt(dir)('pull', '--insecure', '--creds', `${reg!.user}:nope`, at)
      expect(bad.stderr).toContain(`Registry: ${front.host}/stratum/demo v1: HTTP 401: token endpoint`)
    } finally {
      await front.stop()
    }
  })

  it('the registry process SIGKILLed mid-blob: a Registry error naming the blob, nothing of it published; restarted on the same storage, the next pull fetches only the unfinished layers and gives the chainIDs', async () => {
    // the second layer's blob is 12 MiB (random bytes, which skopeo's gzip cannot shrink): more than the
    // sockets hold, so the registry dies mid-send
    const big = layerBlob(buildTar([{ path: 'big', body: randomBytes(12 << 20) }]), 'none')
    const layers = [layerBlob(buildTar(DEMO_LAYERS[0]!)), big, layerBlob(buildTar(DEMO_LAYERS[2]!))]
    const layout = join(work, 'big')
    const written = await unwrap(writeImageLayout(layout, 'v1', layers, { os: 'linux', architecture: 'amd64' }))
    const pushTo = `docker://${reg!.host}/stratum/big:v1`
    await sh(work, 'skopeo', 'copy', '--dest-tls-verify=false', '--dest-creds', creds(), `oci:${layout}:v1`, pushTo)
    const front = await startTokenFront(reg!)
    try {
      const raw = await sh(work, 'skopeo', 'inspect', '--raw', '--tls-verify=false', '--creds', creds(), pushTo)
      const [first, second, third] = (JSON.parse(raw) as { layers: { digest: string }[] }).layers.map(
        (l) => l.digest,
      ) as [string, string, string]
      const dir = await tempDir()
      const at = `${front.host}/stratum/big:v1`
      front.killOn(second)
      const killed = await cliAt(dir)('pull', '--insecure', '--creds', creds(), at)
      expect(front.killed!.sent).toBeGreaterThan(0)
      expect(front.killed!.sent).toBeLessThan(front.killed!.size)
      expect(killed.code).toBe(1)
      expect(killed.stderr).toMatch(
        new RegExp(
          `^stratum: Registry: ${front.host}/stratum/big ${second}: download cut short at byte [1-9]\\d*; resuming: unreachable`,
        ),
      )
      expect((await jsonAt(dir)<{ images: unknown[] }>('ls', 'images')).images).toEqual([])
      expect((await jsonAt(dir)<{ layers: unknown[] }>('ls', 'layers')).layers.length).toBe(1)
      await reg!.restart()
      const seen = front.requests.length
      const done = await jsonAt(dir)<Pulled>('pull', '--insecure', '--creds', creds(), at)
      expect(done.layers.map((l) => l.reused)).toEqual([true, false, false])
      expect(done.layers.map((l) => l.chainId)).toEqual(written.chainIds)
      const fetched = front.requests.slice(seen).filter((u) => u.includes('/blobs/'))
      expect([first, second, third].map((d) => fetched.some((u) => u.endsWith(d)))).toEqual([false, true, true])
    } finally {
      await front.stop()
    }
  })

  it('a chunked push (--chunk-size) sends each blob in PATCHes; skopeo reads the image back, a fresh store pulls its top chainID', async () => {
    const dir = await tempDir()
    const json = jsonAt(dir)
    await json('extract', `${join(work, 'demo')}:v1`, '--name', 'demo:v1')
    const target = `${reg!.host}/stratum/chunked:c1`
    type Pushed = { manifest: string; top: string; uploaded: string[] }
    const pushed = await json<Pushed>(
      'push',
      '--insecure',
      '--creds',
      creds(),
      '--chunk-size',
      '1000',
      'demo:v1',
      target,
    )
    expect(pushed.uploaded.length).toBe(DEMO_LAYERS.length + 1)
    const inspected = JSON.parse(
      await sh(work, 'skopeo', 'inspect', '--tls-verify=false', '--creds', creds(), `docker://${target}`),
    ) as { Digest: string }
    expect(inspected.Digest).toBe(pushed.manifest)
    const fresh = await jsonAt(await tempDir())<Pulled>('pull', '--insecure', '--creds', creds(), target)
    expect(fresh.top).toBe(pushed.top)
    const bad = await cliAt(dir)('push', '--insecure', '--creds', creds(), '--chunk-size', '0', 'demo:v1', target)
    expect(bad.stderr).toContain('push options')
  })

  it('push of an image built on one pulled from the same registry mounts the base layers from its repository', async () => {
    type Pushed = { uploaded: string[]; present: string[]; mounted: string[] }
    const a = await tempDir()
    await jsonAt(a)('extract', `${join(work, 'demo')}:v1`, '--name', 'demo:v1')
    const base = `${reg!.host}/stratum/base:1`
    const first = await jsonAt(a)<Pushed>('push', '--insecure', '--creds', creds(), 'demo:v1', base)
    const b = await tempDir()
    const json = jsonAt(b)
    await json('pull', '--insecure', '--creds', creds(), base)
    await json('start', 'web', base)
    await writeFile(
      join(b, 'change.tar'),
      buildTar([
        { path: 'etc', type: 'dir' },
        { path: 'etc/app.conf', body: 'x\n' },
      ]),
    )
    await json('apply', 'web', join(b, 'change.tar'))
    const commit = await json<{ chainId: string }>('commit', 'web')
    const app = await json<Pushed>(
      'push',
      '--insecure',
      '--creds',
      creds(),
      commit.chainId,
      `${reg!.host}/stratum/app:1`,
    )
    const baseLayers = first.uploaded.slice(0, DEMO_LAYERS.length)
    expect(app.mounted).toEqual(baseLayers)
    expect(app.uploaded.length).toBe(2) // the new layer and the config
  })

  it('store.pull aborted while layer 2 streams: Cancelled, only layer 1 published, no image recorded', async () => {
    const store = await unwrap(openLayerStore(createSimDriver({ pools: ['tank'] }), datasetName('tank/s')))
    const ac = new AbortController()
    const r = await store.pull(
      ref('v1'),
      { signal: ac.signal, onProgress: (p) => p.index === 1 && p.bytesRead > 0 && ac.abort() },
      { insecure: true, credentials: { username: reg!.user, password: reg!.password } },
    )()
    expect(E.isLeft(r) && r.left._tag).toBe('Cancelled')
    expect(await unwrap(store.listImages())).toEqual([])
    expect((await unwrap(store.listLayers())).length).toBe(1)
  })

  it('a blob whose bytes do not match its digest: DigestMismatch naming it, no layer published, no image recorded', async () => {
    const blobs = join(reg!.storage, 'docker/registry/v2/blobs/sha256')
    // the top layer's blob: rewritten in place with bytes of the same length
    const layout = JSON.parse(await sh(work, 'skopeo', 'inspect', '--raw', `oci:${join(work, 'demo')}:v1`)) as {
      layers: { digest: string }[]
    }
    const top = layout.layers[layout.layers.length - 1]!.digest.slice('sha256:'.length)
    const file = join(blobs, top.slice(0, 2), top, 'data')
    const bytes = await readFile(file)
    await writeFile(file, Buffer.alloc(bytes.length, 7))
    try {
      const dir = await tempDir()
      const r = await cliAt(dir)('pull', '--insecure', '--creds', creds(), ref('v1'))
      expect(r.code).toBe(1)
      expect(r.stderr).toContain(`DigestMismatch:`)
      expect(r.stderr).toContain(`sha256:${top}`)
      const ls = await jsonAt(dir)<{ images: unknown[] }>('ls', 'images')
      expect(ls.images).toEqual([])
      const layers = await jsonAt(dir)<{ layers: unknown[] }>('ls', 'layers')
      expect(layers.layers.length).toBe(DEMO_LAYERS.length - 1) // the verified lower layers only (prune collects them)
    } finally {
      await writeFile(file, bytes)
    }
    expect(await readdir(blobs)).not.toEqual([])
  })
})
