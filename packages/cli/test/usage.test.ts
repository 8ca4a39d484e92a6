// start --refquota/--quota/--readonly set the root's limits; usage reports them; a write past the refquota fails naming it.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildTar } from '../src/demo/tar.js'
import { cliAt, jsonAt, tempDir } from './helpers.js'

const KiB = 1024

describe('start limits and usage', () => {
  it('a root started with --refquota 64K takes 64 KiB, then refuses a byte more; usage shows it at its limit', async () => {
    const dir = await tempDir()
    const json = jsonAt(dir)
    await json('init')
    await json('start', 'c', 'empty', '--refquota', '64K', '--quota', '1M')
    await writeFile(join(dir, 'a.tar'), buildTar([{ path: 'a', body: 'a'.repeat(64 * KiB) }]))
    await writeFile(join(dir, 'b.tar'), buildTar([{ path: 'b', body: 'b' }]))
    await json('apply', 'c', join(dir, 'a.tar'))
    const r = await cliAt(dir)('apply', 'c', join(dir, 'b.tar'))
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/QuotaExceeded: '[^']*\/runtime\/c': refquota of 65536 bytes/)
    expect(await json('usage')).toEqual({
      layers: [],
      containers: [
        { id: 'c', unique: 64 * KiB, referenced: 64 * KiB, available: 0, refquota: 64 * KiB, quota: KiB * KiB },
      ],
    })
    expect((await cliAt(dir)('usage', '-Hp', '-o', 'id,referenced,refquota')).stdout).toBe('c\t65536\t65536\n')
  })

  it('--readonly roots refuse writes; a size that is not bytes is InvalidName and starts nothing', async () => {
    const dir = await tempDir()
    const json = jsonAt(dir)
    await json('init')
    await json('start', 'ro', 'empty', '--readonly')
    await writeFile(join(dir, 'b.tar'), buildTar([{ path: 'b', body: 'b' }]))
    expect((await cliAt(dir)('apply', 'ro', join(dir, 'b.tar'))).stderr).toMatch(/EROFS/)
    const bad = await cliAt(dir)('start', 'x', 'empty', '--refquota', '1.5G')
    expect(bad.code).toBe(1)
    expect(bad.stderr).toMatch(/InvalidName: '1.5G': --refquota is bytes/)
    expect(await json('ls', 'containers')).toEqual({ containers: [expect.objectContaining({ id: 'ro' })] })
  })
})
