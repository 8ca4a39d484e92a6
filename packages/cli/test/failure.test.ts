// Errors in the user's words (failure.ts): the thing the user named, a hint where one helps, the typed error kept in --json.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEMO_CHANGE, DEMO_LAYERS } from '../src/demo/image.js'
import { buildTar } from '../src/demo/tar.js'
import { cliAt, tempDir, writeImage } from './helpers.js'

const store = async (): Promise<ReturnType<typeof cliAt>> => {
  const dir = await tempDir()
  await writeImage(join(dir, 'img'), 'v1', DEMO_LAYERS)
  const cli = cliAt(dir)
  expect((await cli('init')).code).toBe(0)
  expect((await cli('extract', '--name', 'web:1', `${join(dir, 'img')}:v1`)).code).toBe(0)
  expect((await cli('extract', '--name', 'web:2', `${join(dir, 'img')}:v1`)).code).toBe(0)
  return cli
}

describe('a failed command in the user’s words', () => {
  it("says no container 'nosuch' for commit, rm and apply, and how to list the containers", async () => {
    const cli = await store()
    const tar = join(await tempDir(), 'change.tar')
    await writeFile(tar, buildTar(DEMO_CHANGE))
    for (const args of [
      ['commit', 'nosuch'],
      ['rm', 'nosuch'],
      ['apply', 'nosuch', tar],
    ]) {
      const r = await cli(...args)
      expect(r.code, args.join(' ')).toBe(1)
      expect(r.stderr, args.join(' ')).toBe(
        "stratum: no container 'nosuch'\nhint: 'stratum ls containers' lists the containers\n",
      )
    }
  })

  it('lists the tags an image has when the tag is wrong', async () => {
    const r = await (await store())('start', 'c', 'web:3')
    expect(r.code).toBe(1)
    expect(r.stderr).toBe("stratum: no image 'web:3'\nhint: web has the tags: 1, 2\n")
  })

  it('suggests stratum ls images for an unknown image name', async () => {
    const cli = await store()
    expect((await cli('start', 'c', 'nosuch')).stderr).toBe(
      "stratum: no image or layer 'nosuch'\nhint: 'stratum ls images' lists the images, 'stratum ls layers' the layers\n",
    )
    expect((await cli('rmi', 'other:1')).stderr).toContain("hint: 'stratum ls images' lists the images")
  })

  it('names a missing layer by its chainID, not its dataset', async () => {
    const missing = `sha256:${'b'.repeat(64)}`
    expect((await (await store())('rmi', missing)).stderr).toBe(
      `stratum: no layer '${missing}'\nhint: 'stratum ls layers' lists the layers\n`,
    )
  })

  it('keeps the typed error in --json, with the words and the hint beside its fields', async () => {
    const r = await (await store())('--json', 'rm', 'nosuch')
    const { error } = JSON.parse(r.stdout) as { error: Record<string, unknown> }
    expect(error).toEqual({
      tag: 'DatasetNotFound',
      name: 'stratum/runtime/nosuch',
      message: "no container 'nosuch'",
      hint: "'stratum ls containers' lists the containers",
    })
  })
})

describe('rm and rmi with several operands', () => {
  it('removes each in order and stops at the first that fails', async () => {
    const cli = await store()
    for (const id of ['a', 'b', 'c']) expect((await cli('start', id, 'web:1')).code).toBe(0)
    const all = await cli('--json', 'rm', 'a', 'b')
    expect(JSON.parse(all.stdout)).toEqual({ version: 1, removed: 'a', ids: ['a', 'b'] })
    const partly = await cli('rm', 'c', 'nosuch', 'a')
    expect(partly.code).toBe(1)
    expect(partly.stderr).toContain("no container 'nosuch'")
    expect((await cli('--json', 'ls', 'containers')).stdout).toContain('"containers":[]')
  })

  it('rmi untags each image in order, with one result per operand', async () => {
    const cli = await store()
    const r = await cli('--json', 'rmi', 'web:1', 'web:2')
    expect(JSON.parse(r.stdout)).toEqual({
      version: 1,
      untagged: 'web:1',
      results: [{ untagged: 'web:1' }, { untagged: 'web:2' }],
    })
    expect((await cli('--json', 'ls', 'images')).stdout).toContain('"images":[]')
  })
})
