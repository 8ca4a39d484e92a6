// Image indexes: nested indexes followed to the platform asked, the default ref, and hostile layouts bounded.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StorageError } from '../../src/errors.js'
import { MAX_INDEX_DEPTH, MAX_INDEX_ENTRIES } from '../../src/oci/index-walk.js'
import { readImage } from '../../src/oci/layout.js'
import { blobPath } from '../../src/oci/layout-file.js'
import { hostPlatform, type PlatformSpec } from '../../src/oci/platform.js'
import { type Entry, platformImage, putIndex, setTop } from './index-layout.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratum-index-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

const ARM64: PlatformSpec = { os: 'linux', architecture: 'arm64', variant: 'v8' }
const PLAN9: PlatformSpec = { os: 'plan9', architecture: '386' }

const digestOf = async (ref: string | undefined, platform?: PlatformSpec) => {
  const r = await readImage(dir, ref, platform === undefined ? {} : { platform })()
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return { digest: r.right.manifestDigest, refName: r.right.refName }
}
const failure = async (ref: string | undefined, platform?: PlatformSpec): Promise<StorageError> => {
  const r = await readImage(dir, ref, platform === undefined ? {} : { platform })()
  if (E.isRight(r)) throw new Error('expected a failure')
  return r.left
}

/** index.json → 'multi' → an index of this host's image, linux/arm64/v8 and plan9/386. */
const multi = async () => {
  const host = await platformImage(dir, hostPlatform(), 'host')
  const arm = await platformImage(dir, ARM64, 'arm')
  const plan9 = await platformImage(dir, PLAN9, 'plan9')
  const index = await putIndex(dir, [plan9, arm, host])
  await setTop(dir, [['multi', index]])
  return { host, arm, plan9, index }
}

describe('image indexes', () => {
  it("follows index.json → index → manifests to the platform asked, by default this host's, keeping the ref name", async () => {
    const m = await multi()
    expect(await digestOf('multi')).toEqual({ digest: m.host.digest, refName: 'multi' })
    expect((await digestOf('multi', { os: 'linux', architecture: 'aarch64' })).digest).toBe(m.arm.digest)
    expect((await digestOf('multi', PLAN9)).digest).toBe(m.plan9.digest)
    expect((await digestOf(m.index.digest, ARM64)).digest).toBe(m.arm.digest)
  })

  it('an index nested in an index without a platform is searched too', async () => {
    const arm = await platformImage(dir, ARM64, 'arm')
    const inner = await putIndex(dir, [arm])
    const outer = await putIndex(dir, [inner])
    await setTop(dir, [['deep', outer]])
    expect((await digestOf('deep', { os: 'linux', architecture: 'arm64' })).digest).toBe(arm.digest)
  })

  it('a platform that is not there is Io ENOENT naming the index and listing the platforms', async () => {
    const m = await multi()
    const e = await failure('multi', { os: 'linux', architecture: 's390x' })
    expect(e).toMatchObject({ _tag: 'Io', code: 'ENOENT', path: blobPath(dir, m.index.digest) })
    const message = e._tag === 'Io' ? e.message : ''
    expect(message).toContain('linux/s390x')
    expect(message).toContain('linux/arm64')
    expect(message).toContain('plan9/386')
  })

  it("no ref: 'latest', else the only entry even untagged, else an error listing the tags", async () => {
    const a = await platformImage(dir, PLAN9, 'a')
    const b = await platformImage(dir, PLAN9, 'b')
    await setTop(dir, [[undefined, a]])
    expect(await digestOf(undefined)).toEqual({ digest: a.digest, refName: undefined })
    await setTop(dir, [
      ['v1', a],
      ['latest', b],
    ])
    expect(await digestOf(undefined)).toEqual({ digest: b.digest, refName: 'latest' })
    await setTop(dir, [
      ['v1', a],
      ['v2', b],
    ])
    const e = await failure(undefined)
    expect(e).toMatchObject({ _tag: 'Io', code: 'ENOENT', path: join(dir, 'index.json') })
    expect(e._tag === 'Io' && e.message).toContain('tags: v1, v2')
    const named = await failure('v3')
    expect(named._tag === 'Io' && named.message).toContain("no manifest named 'v3' (tags: v1, v2)")
  })

  it('entries of index.json sharing a name are chosen among by platform', async () => {
    const host = await platformImage(dir, hostPlatform(), 'host')
    const plan9 = await platformImage(dir, PLAN9, 'plan9')
    await setTop(dir, [
      ['app', plan9],
      ['app', host],
    ])
    expect(await digestOf('app')).toEqual({ digest: host.digest, refName: 'app' })
    expect((await digestOf('app', PLAN9)).digest).toBe(plan9.digest)
  })
})

describe('hostile indexes', () => {
  it(`indexes nested deeper than ${MAX_INDEX_DEPTH} are LimitExceeded naming the blob`, async () => {
    let e: Entry = await platformImage(dir, ARM64, 'arm')
    for (let i = 0; i <= MAX_INDEX_DEPTH; i++) e = await putIndex(dir, [e])
    await setTop(dir, [['deep', e]])
    const err = await failure('deep', ARM64)
    expect(err).toMatchObject({ _tag: 'LimitExceeded', limit: MAX_INDEX_DEPTH })
  })

  it(`an index of more than ${MAX_INDEX_ENTRIES} entries is LimitExceeded, before any entry is followed`, async () => {
    const arm = await platformImage(dir, ARM64, 'arm')
    const huge = await putIndex(
      dir,
      Array.from({ length: MAX_INDEX_ENTRIES + 1 }, () => arm),
    )
    await setTop(dir, [['huge', huge]])
    expect(await failure('huge', ARM64)).toMatchObject({ _tag: 'LimitExceeded', limit: MAX_INDEX_ENTRIES })
  })

  it('an index listed many times is read once (a fan-out is no amplification)', async () => {
    const arm = await platformImage(dir, ARM64, 'arm')
    const inner = await putIndex(dir, [arm])
    const fan = await putIndex(
      dir,
      Array.from({ length: 200 }, () => inner),
    )
    await setTop(dir, [['fan', fan]])
    expect(await failure('fan', PLAN9)).toMatchObject({ _tag: 'Io', code: 'ENOENT' })
    expect((await digestOf('fan', ARM64)).digest).toBe(arm.digest)
  })

  it('an index entry of an unknown media type matching the platform is Unsupported naming it', async () => {
    const arm = await platformImage(dir, ARM64, 'arm')
    const odd = await putIndex(dir, [{ ...arm, mediaType: 'application/vnd.example.thing' }])
    await setTop(dir, [['odd', odd]])
    const e = await failure('odd', ARM64)
    expect(e).toMatchObject({ _tag: 'Unsupported' })
    expect(e._tag === 'Unsupported' && e.what).toContain('application/vnd.example.thing')
  })
})
