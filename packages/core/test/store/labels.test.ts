import { createSimDriver } from '@stratum/sim-driver'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hostPlatform } from '../../src/oci/platform.js'
import { matchesLabels, parseLabelArgs } from '../../src/store/labels.js'
import { openLayerStore } from '../../src/store/open.js'
import { writeImageLayout } from '../../src/oci/write.js'
import { BASE, fail, ok } from './helpers.js'

let root: string
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'stratum-labels-'))
})
afterAll(() => rm(root, { recursive: true, force: true }))

describe('labels on containers and images', () => {
  it('start records them with the clone; label sets and drops them; ls lists them', async () => {
    const d = createSimDriver()
    const s = await ok(openLayerStore(d, BASE))
    await ok(s.start('web', 'empty', { labels: { tier: 'front', 'com.example/owner': 'ana' } }))
    await ok(s.start('db', 'empty'))
    expect((await ok(s.listContainers())).map((c) => [c.id, c.labels])).toEqual([
      ['db', undefined],
      ['web', { tier: 'front', 'com.example/owner': 'ana' }],
    ])
    expect(await ok(s.labelContainer('web', { set: { tier: 'back' }, drop: ['com.example/owner'] }))).toEqual({
      tier: 'back',
    })
    expect(await ok(s.labelContainer('web', { drop: ['tier'] }))).toEqual({})
    expect((await ok(s.listContainers())).find((c) => c.id === 'web')?.labels).toBeUndefined()
  })

  it('bad keys, values and sizes are typed errors naming the label, and change nothing', async () => {
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    expect(await fail(s.start('web', 'empty', { labels: { 'bad key': 'x' } }))).toMatchObject({
      _tag: 'InvalidName',
      name: 'bad key',
    })
    expect(await ok(s.listContainers())).toEqual([])
    await ok(s.start('web', 'empty', { labels: { a: '1' } }))
    expect(await fail(s.labelContainer('web', { set: { b: 'x\ny' } }))).toMatchObject({
      _tag: 'InvalidName',
      name: 'b',
    })
    const big = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`k${i}`, 'v'.repeat(1000)]))
    expect(await fail(s.labelContainer('web', { set: big }))).toMatchObject({ _tag: 'LimitExceeded' })
    expect(await fail(s.labelContainer('ghost', { set: { a: '1' } }))).toMatchObject({ _tag: 'DatasetNotFound' })
    expect((await ok(s.listContainers()))[0]?.labels).toEqual({ a: '1' })
  })

  it('extract records labels over the config Labels; label changes an image by name (:latest implied)', async () => {
    const dir = join(root, 'app')
    await ok(
      writeImageLayout(dir, 'latest', [], { ...hostPlatform(), config: { Labels: { vendor: 'acme', tier: 'x' } } }),
    )
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    await ok(s.extractImage(dir, 'latest', {}, { name: 'app:latest', labels: { tier: 'front' } }))
    expect((await ok(s.listImages()))[0]).toMatchObject({
      name: 'app:latest',
      labels: { vendor: 'acme', tier: 'front' },
    })
    expect(await ok(s.labelImage('app', { set: { pinned: 'yes' }, drop: ['vendor'] }))).toEqual({
      tier: 'front',
      pinned: 'yes',
    })
    expect((await ok(s.listImages()))[0]?.labels).toEqual({ tier: 'front', pinned: 'yes' })
    expect(await fail(s.labelImage('nope', { set: { a: '1' } }))).toMatchObject({ _tag: 'ReferenceNotFound' })
  })
})

describe('label arguments and filters', () => {
  it('k=v sets, k- drops, anything else names the argument', () => {
    expect(parseLabelArgs(['a=1', 'b=x=y', 'c-', 'e='])).toEqual(
      E.right({ set: { a: '1', b: 'x=y', e: '' }, drop: ['c'] }),
    )
    expect(parseLabelArgs(['a'])).toMatchObject(E.left({ _tag: 'InvalidName', name: 'a' }))
    expect(parseLabelArgs(['=v'])).toMatchObject(E.left({ _tag: 'InvalidName', name: '=v' }))
    expect(parseLabelArgs(['a=1', 'a-'])).toMatchObject(E.left({ _tag: 'InvalidName', name: 'a' }))
  })

  it('label=k needs the key, label=k=v the value too; every filter must hold', () => {
    const l = { tier: 'front', env: 'prod' }
    expect(matchesLabels(l, ['tier'])).toBe(true)
    expect(matchesLabels(l, ['tier=front', 'env=prod'])).toBe(true)
    expect(matchesLabels(l, ['tier=back'])).toBe(false)
    expect(matchesLabels(l, ['owner'])).toBe(false)
    expect(matchesLabels(undefined, ['tier'])).toBe(false)
    expect(matchesLabels(undefined, [])).toBe(true)
  })
})
