// Layout files from a hostile source: no symlink followed, regular files only, reads bounded.
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rename, rm, symlink, unlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { createSimDriver } from '@stratum/sim-driver'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { StorageError } from '../../src/errors.js'
import { type Digest, sha256 } from '../../src/oci/digest.js'
import { readImage } from '../../src/oci/layout.js'
import { blobPath, MAX_JSON_BYTES, openBlob } from '../../src/oci/layout-file.js'
import { MEDIA_LAYER_TAR } from '../../src/oci/media.js'
import { layerBlob, writeImageLayout, type WrittenImage } from '../../src/oci/write.js'
import { openLayerStore } from '../../src/store/open.js'
import { BASE, fail, ok } from '../store/helpers.js'
import { makeTar, once } from '../store/tar.js'

let dir: string
let outside: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'stratum-layout-'))
  outside = await mkdtemp(join(tmpdir(), 'stratum-outside-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
  await rm(outside, { recursive: true, force: true })
})

const isRoot = process.getuid?.() === 0

const image = async (): Promise<{ w: WrittenImage; tar: Uint8Array }> => {
  const tar = await makeTar([{ path: 'secret', content: 'inside\n' }])
  return { w: await ok(writeImageLayout(dir, 'app', [layerBlob(tar, 'none')])), tar }
}

/** The manifest's config digest. */
const configOf = async (w: WrittenImage): Promise<Digest> =>
  (JSON.parse(await readFile(blobPath(dir, w.manifestDigest), 'utf8')) as { config: { digest: Digest } }).config.digest

/** extractImage of 'app' on a fresh simulator store, which must fail. */
const extractError = async (): Promise<StorageError> =>
  fail((await ok(openLayerStore(createSimDriver(), BASE))).extractImage(dir, 'app'))

/** Everything the stream yields, or the error it fails with. */
const drain = async (src: AsyncIterable<Uint8Array>): Promise<{ bytes: number; error?: StorageError }> => {
  let bytes = 0
  try {
    for await (const c of src) bytes += c.byteLength
    return { bytes }
  } catch (e) {
    return { bytes, error: (e as { error: StorageError }).error }
  }
}

describe('layout blobs are confined to the layout', () => {
  it('a layer blob symlinked to a host file is refused (ELOOP naming the blob), never read', async () => {
    const { w, tar } = await image()
    const p = blobPath(dir, w.layerDigests[0]!)
    await writeFile(join(outside, 'private.tar'), tar, { mode: 0o600 })
    await unlink(p)
    await symlink(join(outside, 'private.tar'), p)
    expect(await drain(openBlob(dir, w.layerDigests[0]!, tar.length))).toMatchObject({
      bytes: 0,
      error: { _tag: 'Io', code: 'ELOOP', path: p },
    })
    expect(await extractError()).toMatchObject({ _tag: 'Io', code: 'ELOOP', path: p })
  })

  it('a manifest blob symlinked outside gives an error naming the blob, no digest of the target', async () => {
    const { w } = await image()
    const p = blobPath(dir, w.manifestDigest)
    await writeFile(join(outside, 'shadow'), 'root:secret-hash:19000::::::\n')
    await unlink(p)
    await symlink(join(outside, 'shadow'), p)
    const e = await fail(readImage(dir, 'app'))
    expect(e).toMatchObject({ _tag: 'Io', code: 'ELOOP', path: p })
    expect(JSON.stringify(e)).not.toContain(sha256('root:secret-hash:19000::::::\n'))
  })

  it('blobs/sha256 itself a symlink to a directory outside is refused', async () => {
    const { w } = await image()
    await rename(join(dir, 'blobs', 'sha256'), join(outside, 'sha256'))
    await symlink(join(outside, 'sha256'), join(dir, 'blobs', 'sha256'))
    expect(await fail(readImage(dir, 'app'))).toMatchObject({
      _tag: 'Io',
      code: 'ELOOP',
      path: join(dir, 'blobs', 'sha256'),
    })
    expect((await drain(openBlob(dir, w.layerDigests[0]!, 1))).error).toMatchObject({ _tag: 'Io', code: 'ELOOP' })
  })

  it('a FIFO blob is refused before any read (it would block forever)', async () => {
    const { w, tar } = await image()
    const p = blobPath(dir, w.layerDigests[0]!)
    await unlink(p)
    execFileSync('mkfifo', [p])
    expect(await drain(openBlob(dir, w.layerDigests[0]!, tar.length))).toMatchObject({
      bytes: 0,
      error: { _tag: 'Io', code: 'EINVAL', path: p },
    })
    const c = blobPath(dir, await configOf(w))
    await unlink(c)
    execFileSync('mkfifo', [c])
    expect(await fail(readImage(dir, 'app'))).toMatchObject({ _tag: 'Io', code: 'EINVAL', path: c })
  })

  it.runIf(isRoot)('a config blob that is a character device (/dev/zero) is refused, never read', async () => {
    const { w } = await image()
    const c = blobPath(dir, await configOf(w))
    await unlink(c)
    execFileSync('mknod', [c, 'c', '1', '5'])
    expect(await fail(readImage(dir, 'app'))).toMatchObject({ _tag: 'Io', code: 'EINVAL', path: c })
  })

  it('a missing layer blob, or a directory in its place, is Io ENOENT/EISDIR naming it (not the empty digest)', async () => {
    const { w } = await image()
    const p = blobPath(dir, w.layerDigests[0]!)
    await unlink(p)
    expect(await extractError()).toMatchObject({ _tag: 'Io', code: 'ENOENT', path: p })
    await mkdir(p)
    expect(await extractError()).toMatchObject({ _tag: 'Io', code: 'EISDIR', path: p })
  })

  it('a layer blob longer than its descriptor is read no further than the size: LimitExceeded naming it', async () => {
    const { w, tar } = await image()
    const p = blobPath(dir, w.layerDigests[0]!)
    await writeFile(p, Buffer.concat([tar, Buffer.alloc(4 * 1024 * 1024)]))
    const r = await drain(openBlob(dir, w.layerDigests[0]!, tar.length))
    expect(r.error).toMatchObject({ _tag: 'LimitExceeded', limit: tar.length })
    expect(r.bytes).toBeLessThanOrEqual(tar.length + 256 * 1024)
    expect(await extractError()).toMatchObject({ _tag: 'LimitExceeded', limit: tar.length })
  })

  it('a manifest or config past its descriptor size, or past the JSON cap, is LimitExceeded naming the blob', async () => {
    const { w } = await image()
    const c = blobPath(dir, await configOf(w))
    const config = await readFile(c)
    await writeFile(c, Buffer.concat([config, Buffer.from(' '.repeat(100))]))
    expect(await fail(readImage(dir, 'app'))).toMatchObject({ _tag: 'LimitExceeded', limit: config.length })
    const big = Buffer.from(
      JSON.stringify({ rootfs: { type: 'layers', diff_ids: [] }, pad: ' '.repeat(MAX_JSON_BYTES) }),
    )
    const d = sha256(big)
    await writeFile(blobPath(dir, d), big)
    const m = { schemaVersion: 2, config: { mediaType: 'x', digest: d, size: big.length }, layers: [] }
    const mb = Buffer.from(JSON.stringify(m))
    await writeFile(blobPath(dir, sha256(mb)), mb)
    const e = await fail(readImage(dir, sha256(mb)))
    expect(e).toMatchObject({ _tag: 'LimitExceeded', limit: MAX_JSON_BYTES })
    expect(e._tag === 'LimitExceeded' && e.what).toContain(blobPath(dir, d))
  })
})

describe('library callers: wrong-typed arguments are typed errors', () => {
  it('a plain array as a blob, or a meta without a media type, is CorruptLayer, not a TypeError', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const r = await s.extractLayer('empty', [1, 2, 3] as never, { mediaType: MEDIA_LAYER_TAR })()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CorruptLayer', what: 'layer blob' } })
    expect(E.isLeft(r) && r.left._tag === 'CorruptLayer' && r.left.reason).toContain('an array')
    const tar = await makeTar([{ path: 'f', content: 'x' }])
    expect(await s.extractLayer('empty', once(tar), {} as never)()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'CorruptLayer' },
    })
    expect(await s.extractLayer(42 as never, once(tar), { mediaType: MEDIA_LAYER_TAR })()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'InvalidName' },
    })
    expect(await s.apply('web', 'text' as never)()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'CorruptLayer', what: 'tar to apply' },
    })
    async function* numbers() {
      yield 1 as never
    }
    expect(await s.extractLayer('empty', numbers(), { mediaType: MEDIA_LAYER_TAR })()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'CorruptLayer' },
    })
  })
})
