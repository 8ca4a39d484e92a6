import { createSimDriver } from '@stratum/sim-driver'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { propertyName } from '../../src/names.js'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { imageNameFor } from '../../src/store/image-name.js'
import { imageProperty } from '../../src/store/images.js'
import { openLayerStore } from '../../src/store/open.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar } from './tar.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stratum-images-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

const layoutWith = async (dirName: string, tag: string, content: string) => {
  const dir = join(root, dirName)
  await mkdir(dir, { recursive: true })
  const tar = await makeTar([{ path: 'f', content }])
  return { dir, w: await ok(writeImageLayout(dir, tag, [layerBlob(tar)])) }
}

describe('image names', () => {
  it('a bare tag names <dir>:<tag>, a whole reference itself, a digest <dir>@<digest>, a given name wins', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    expect(imageNameFor('/x/web', '1.0')).toEqual(E.right('web:1.0'))
    expect(imageNameFor('/x/Web App', '1.0')).toEqual(E.right('web-app:1.0'))
    expect(imageNameFor('/x/web', 'registry.example:5000/team/web:2')).toEqual(
      E.right('registry.example:5000/team/web:2'),
    )
    expect(imageNameFor('/x/web', digest)).toEqual(E.right(`web@${digest}`))
    expect(imageNameFor('/x/web', '1.0', 'db:9')).toEqual(E.right('db:9'))
  })

  it('a given name outside the reference grammar is InvalidName naming it', () => {
    const r = imageNameFor('/x/web', '1.0', 'Bad Name')
    expect(E.isLeft(r) && r.left._tag === 'InvalidName' && r.left.name === 'Bad Name').toBe(true)
  })
})

describe('image references in the pool', () => {
  it('extract records the image; the same name again moves the reference; listImages reads them back', async () => {
    const a = await layoutWith('web', '1.0', 'one')
    const b = await layoutWith('other', '1.0', 'two')
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    expect(await ok(s.listImages())).toEqual([])
    const first = await ok(s.extractImage(a.dir, '1.0'))
    expect(first.name).toBe('web:1.0')
    const [img] = await ok(s.listImages())
    expect(img).toMatchObject({ name: 'web:1.0', top: a.w.chainIds[0], manifest: a.w.manifestDigest })
    // the same name from another layout moves the reference
    await ok(s.extractImage(b.dir, '1.0', {}, { name: 'web:1.0' }))
    const moved = await ok(s.listImages())
    expect(moved.map((i) => [i.name, i.top])).toEqual([['web:1.0', b.w.chainIds[0]]])
    // the record lives on <base>/images, which holds no files (it also inherits the base's com.sun:auto-snapshot)
    const images = (await ok(d.list(s.layout.images)))[0]!
    expect(Object.keys(images.properties).filter((k) => k.startsWith('stratum:'))).toEqual([imageProperty('web:1.0')])
  })

  it('an unreadable record under <base>/images is skipped, not fatal', async () => {
    const a = await layoutWith('web2', 'latest', 'three')
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.extractImage(a.dir, 'latest'))
    await ok(d.setProperty(s.layout.images, propertyName('stratum:image.junk'), '{not json'))
    expect((await ok(s.listImages())).map((i) => i.name)).toEqual(['web2:latest'])
  })

  it('extract options of the wrong type are InvalidName, nothing extracted', async () => {
    const a = await layoutWith('web3', 'latest', 'four')
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const e = await fail(s.extractImage(a.dir, 'latest', {}, { name: 7 } as never))
    expect(e._tag).toBe('InvalidName')
    expect(await ok(s.listLayers())).toEqual([])
  })
})
