import { createSimDriver } from '@stratum/sim-driver'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { datasetName, snapshotName } from '../../src/names.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { openLayerStore } from '../../src/store/open.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar } from './tar.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stratum-refs-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

const storeWithImage = async () => {
  const dir = join(root, 'web')
  const w = await ok(writeImageLayout(dir, 'latest', [layerBlob(await makeTar([{ path: 'f', content: 'x' }]))]))
  const d = createSimDriver()
  const s = await ok(openLayerStore(d, BASE))
  await ok(s.extractImage(dir, 'latest'))
  return { d, s, top: w.chainIds[0]! }
}

/** A published layer made by hand, to control its chainID's prefix. */
const fakeLayer = async (d: ReturnType<typeof createSimDriver>, hex: string) => {
  await ok(d.create(datasetName(`${BASE}/storage/${hex}`)))
  await ok(d.snapshot(snapshotName(`${BASE}/storage/${hex}@extracted`)))
}

describe('layer references', () => {
  it('an image name, the name without :latest, a full chainID, a 12-digit prefix (with or without sha256:) and empty', async () => {
    const { s, top } = await storeWithImage()
    expect(await ok(s.resolveLayer('web:latest'))).toBe(top)
    expect(await ok(s.resolveLayer('web'))).toBe(top)
    expect(await ok(s.resolveLayer(top))).toBe(top)
    expect(await ok(s.resolveLayer(top.slice(0, 7 + 12)))).toBe(top)
    expect(await ok(s.resolveLayer(top.slice(7, 7 + 12)))).toBe(top)
    expect(await ok(s.resolveLayer('empty'))).toBe('empty')
  })

  it('a prefix of fewer than 12 digits, an unknown name or prefix: ReferenceNotFound naming it', async () => {
    const { s, top } = await storeWithImage()
    for (const ref of [top.slice(7, 7 + 11), 'nope:1', 'f'.repeat(12)]) {
      expect(await fail(s.resolveLayer(ref))).toMatchObject({ _tag: 'ReferenceNotFound', name: ref })
    }
    expect((await fail(s.resolveLayer(top.slice(7, 7 + 11)))) as { reason: string }).toMatchObject({
      reason: expect.stringContaining('at least 12 hex digits'),
    })
  })

  it('a prefix two layers share is AmbiguousReference listing both; one more digit resolves', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const a = `${'0'.repeat(12)}a${'1'.repeat(51)}`
    const b = `${'0'.repeat(12)}b${'1'.repeat(51)}`
    await fakeLayer(d, a)
    await fakeLayer(d, b)
    expect(await fail(s.resolveLayer('0'.repeat(12)))).toEqual({
      _tag: 'AmbiguousReference',
      name: '0'.repeat(12),
      candidates: [`sha256:${a}`, `sha256:${b}`],
    })
    expect(await ok(s.resolveLayer(`${'0'.repeat(12)}b`))).toBe(`sha256:${b}`)
  })

  it('start, packageLayer and removeLayer take any reference', async () => {
    const { s, top } = await storeWithImage()
    await ok(s.start('c1', 'web'))
    expect((await ok(s.listContainers())).map((c) => [c.id, c.parent])).toEqual([['c1', top]])
    await ok(s.packageLayer(top.slice(7, 20)))
    await ok(s.removeContainer('c1'))
    await ok(s.removeLayer('web:latest'))
    expect(await ok(s.listLayers())).toEqual([])
    expect(await fail(s.packageLayer('empty'))).toMatchObject({ _tag: 'InvalidName', name: 'empty' })
  })
})
