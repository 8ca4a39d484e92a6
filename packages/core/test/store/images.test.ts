import { createSimDriver } from '@stratum/sim-driver'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { layerBlob, writeImageLayout } from '../../src/oci/write.js'
import { imageNameFor } from '../../src/store/image-name.js'
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

describe('extract options', () => {
  it('extract options of the wrong type are InvalidName, nothing extracted', async () => {
    const a = await layoutWith('web3', 'latest', 'four')
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    const e = await fail(s.extractImage(a.dir, 'latest', {}, { name: 7 } as never))
    expect(e._tag).toBe('InvalidName')
    expect(await ok(s.listLayers())).toEqual([])
  })
})
