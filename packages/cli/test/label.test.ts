// `label`, `start -l`, `extract -l` and `ls --filter label=…` on the simulator, through main().
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { cliAt, jsonAt, tempDir, writeImage } from './helpers.js'

describe('stratum label and ls --filter', () => {
  it('labels set at start and extract, changed by label, filter ls; bad input names the label', async () => {
    const dir = await tempDir()
    const json = jsonAt(dir)
    const cli = cliAt(dir)
    await writeImage(join(dir, 'img'), 'v1', [[{ path: 'a', body: 'a\n' }]])
    await json('init')
    await json('extract', `${join(dir, 'img')}:v1`, '--name', 'app:1', '-l', 'pinned=yes')
    await json('start', 'web', 'app:1', '-l', 'tier=front', '-l', 'team=core')
    await json('start', 'db', 'app:1', '--label', 'tier=back')
    expect(await json('label', 'web', 'team-', 'env=prod')).toEqual({
      container: 'web',
      labels: { tier: 'front', env: 'prod' },
    })
    expect(await json('label', 'app:1', 'owner=ana')).toEqual({
      image: 'app:1',
      labels: { pinned: 'yes', owner: 'ana' },
    })
    const ids = async (...f: string[]) =>
      ((await json('ls', 'containers', ...f)) as { containers: { id: string }[] }).containers.map((c) => c.id)
    expect(await ids('--filter', 'label=tier')).toEqual(['db', 'web'])
    expect(await ids('--filter', 'label=tier=front')).toEqual(['web'])
    expect(await ids('--filter', 'label=tier', '--filter', 'label=env=prod')).toEqual(['web'])
    expect(await ids('--filter', 'label=owner')).toEqual([])
    const images = (await json('ls', 'images', '--filter', 'label=owner=ana')) as { images: { name: string }[] }
    expect(images.images.map((i) => i.name)).toEqual(['app:1'])
    expect((await cli('ls', '-H', '-o', 'id,labels', 'containers')).stdout).toBe(
      'db\ttier=back\nweb\ttier=front,env=prod\n',
    )
    const bad = await cli('label', 'web', 'bad key=1')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toContain("'bad key'")
    expect((await cli('ls', 'containers', '--filter', 'tier')).stderr).toContain("'tier'")
    expect((await cli('label', 'ghost', 'a=1')).stderr).toContain("no image or layer 'ghost'")
    const drop = await cli('start', 'api', 'app:1', '-l', 'tier-')
    expect(drop.code).toBe(1)
    expect(drop.stderr).toContain("'tier-'")
    expect(await ids()).toEqual(['db', 'web'])
  })
})
