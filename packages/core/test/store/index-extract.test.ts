// extractImage through an image index: the platform option picks the manifest, the tag is the recorded name, no tag takes the only image.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { createSimDriver } from '@stratum/sim-driver'
import { afterAll, describe, expect, it } from 'vitest'
import { hostPlatform } from '../../src/oci/platform.js'
import { openLayerStore } from '../../src/store/open.js'
import { platformImage, putIndex, setTop } from '../oci/index-layout.js'
import { BASE, fail, ok } from './helpers.js'
import { makeTar } from './tar.js'

const dirs: string[] = []
afterAll(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))))

describe('extractImage through an index', () => {
  it("takes the platform asked, else this host's; records the tag; no tag takes the layout's only entry", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stratum-index-'))
    dirs.push(dir)
    const tar = (f: string) => makeTar([{ path: f, content: `${f}\n` }])
    const host = await platformImage(dir, hostPlatform(), 'host', await tar('host'))
    const arm = await platformImage(dir, { os: 'linux', architecture: 'arm64' }, 'arm', await tar('arm'))
    await setTop(dir, [[undefined, await putIndex(dir, [arm, host])]])
    const s = await ok(openLayerStore(createSimDriver(), BASE))
    const mine = await ok(s.extractImage(dir, undefined))
    const theirs = await ok(s.extractImage(dir, undefined, {}, { platform: 'linux/aarch64/v8', name: 'app:arm' }))
    expect(mine.top).not.toBe(theirs.top)
    expect(mine.name).toMatch(
      new RegExp(
        `^${basename(dir)
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, '-')}.*@sha256:`,
      ),
    )
    const images = await ok(s.listImages())
    expect(images.find((i) => i.name === 'app:arm')).toMatchObject({ platform: 'linux/arm64', top: theirs.top })
    expect(await fail(s.extractImage(dir, undefined, {}, { platform: 'linux' }))).toMatchObject({
      _tag: 'InvalidName',
      name: 'linux',
    })
  })
})
