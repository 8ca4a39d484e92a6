// `ls` as a table like `zfs list`: header and aligned columns, -H, -p, -o; short digests unless -o names columns.
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { age, size } from '../src/table.js'
import { cliAt, jsonAt, tempDir, writeImage } from './helpers.js'

const FILES = [
  { path: 'etc', type: 'dir' as const },
  { path: 'etc/hosts', body: '127.0.0.1 localhost\n' },
]

describe('stratum ls', () => {
  it('prints a header and aligned columns with short ids; -H is tab-separated; -o picks columns, full ids', async () => {
    const dir = await tempDir()
    const img = await writeImage(join(dir, 'img'), 'v1', [FILES, [{ path: 'motd', body: 'hi\n' }]])
    const [c1, c2] = img.chainIds.map((c) => c as string)
    await cliAt(dir)('extract', `${join(dir, 'img')}:v1`)
    const lines = (await cliAt(dir)('ls', 'layers')).stdout.trimEnd().split('\n')
    expect(lines[0]).toMatch(/^CHAINID +PARENT +DIFFID +STATE +SIZE +REFERENCED +CREATED$/)
    const start = (col: string): number => lines[0]!.indexOf(col)
    const short = (c: string): string => c.slice('sha256:'.length, 'sha256:'.length + 12)
    const rows = lines.slice(1).sort()
    expect(rows.map((r) => r.slice(0, start('PARENT')).trimEnd())).toEqual([short(c1!), short(c2!)].sort())
    for (const r of rows) expect(r.slice(start('STATE'), start('SIZE')).trimEnd()).toBe('ready')
    expect(rows.every((r) => r.length <= lines[0]!.length + 20)).toBe(true)
    expect(
      rows
        .find((r) => r.startsWith(short(c2!)))!
        .slice(start('PARENT'), start('DIFFID'))
        .trimEnd(),
    ).toBe(short(c1!))
    const scripted = (await cliAt(dir)('ls', '-H', '-o', 'chainid,parent', 'layers')).stdout
    expect(scripted.trimEnd().split('\n').sort()).toEqual([`${c1}\tempty`, `${c2}\t${c1}`].sort())
    const exact = (await cliAt(dir)('ls', '-H', '-p', '-o', 'created', 'containers')).stdout
    expect(exact).toBe('')
    await cliAt(dir)('start', 'web', c2!)
    const when = (await cliAt(dir)('ls', '-H', '-p', '-o', 'id,created', 'containers')).stdout
    expect(when).toMatch(/^web\t\d{10}\n$/)
    // sizes, settled bytes: a layer holds its own files and refers to its parent's too; a fresh root holds nothing
    const sizes = (await cliAt(dir)('ls', '-H', '-p', '-o', 'chainid,size,referenced', 'layers')).stdout
    expect(sizes.trimEnd().split('\n').sort()).toEqual([`${c1}\t20\t20`, `${c2}\t3\t23`].sort())
    expect((await cliAt(dir)('ls', '-H', '-p', '-o', 'id,size,referenced', 'containers')).stdout).toBe('web\t0\t23\n')
    expect(Math.abs(Number(when.split('\t')[1]) - Date.now() / 1000)).toBeLessThan(600)
    expect((await cliAt(dir)('ls', '-H', 'containers')).stdout).toMatch(
      /^web\t[0-9a-f]{12}\t0B\t23B\t\d+ seconds? ago\t-\n$/,
    )
    expect(
      (await jsonAt(dir)<{ layers: { chainId: string }[] }>('ls', 'layers')).layers.map((l) => l.chainId).sort(),
    ).toEqual([c1, c2].sort())
  })

  it('names an unknown column and lists the ones there are', async () => {
    const dir = await tempDir()
    expect((await cliAt(dir)('init')).code).toBe(0)
    const r = await cliAt(dir)('ls', '-o', 'chainid,bogus', 'layers')
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/'bogus'.*no such column; columns: chainid,parent,diffid,state,size,referenced,created/)
  })

  it('prints sizes like zfs list and ages in words; -p exact', () => {
    const human = { fullIds: false, exact: false }
    const exact = { fullIds: false, exact: true }
    expect([0, 512, 1536, 10 * 1024 * 1024 + 1, 300 * 2 ** 30].map((n) => size(n, human))).toEqual([
      '0B',
      '512B',
      '1.50K',
      '10.0M',
      '300G',
    ])
    expect(size(1536, exact)).toBe('1536')
    expect(size(undefined, human)).toBe('-')
    const now = Date.parse('2026-01-02T00:00:00Z')
    expect(age('2026-01-01T23:59:59Z', human, now)).toBe('1 second ago')
    expect(age('2026-01-01T22:00:00Z', human, now)).toBe('2 hours ago')
    expect(age('2025-12-01T00:00:00Z', human, now)).toBe('32 days ago')
    expect(age('2026-01-01T00:00:00Z', exact, now)).toBe(String(now / 1000 - 86400))
    expect(age(undefined, human, now)).toBe('-')
  })
})
