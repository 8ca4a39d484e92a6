// Hostile layers given to extract-layer (and apply) fail with one line naming the tag and the entry; nothing is published.
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { buildTar, type TarSpec } from '../src/demo/tar.js'
import { cliAt, jsonAt, tempDir } from './helpers.js'

const layersOf = async (dir: string): Promise<unknown[]> =>
  (await jsonAt(dir)<{ layers: unknown[] }>('ls', 'layers')).layers

const refused = async (
  bytes: Uint8Array,
): Promise<{ code: number; stderr: string; stdout: string; before: unknown[]; after: unknown[] }> => {
  const dir = await tempDir()
  await writeFile(
    join(dir, 'ok.tar'),
    buildTar([
      { path: 'etc', type: 'dir' },
      { path: 'etc/passwd', body: 'root:x:0:0\n' },
    ]),
  )
  await jsonAt(dir)('extract-layer', 'empty', join(dir, 'ok.tar'))
  const before = await layersOf(dir)
  await writeFile(join(dir, 'bad.layer'), bytes)
  const r = await cliAt(dir)('extract-layer', 'empty', join(dir, 'bad.layer'))
  return { ...r, before, after: await layersOf(dir) }
}

const oneLine = (s: string): void => {
  expect(s.endsWith('\n')).toBe(true)
  expect(s.trimEnd().split('\n')).toHaveLength(1)
}

describe('hostile layers through extract-layer', () => {
  const cases: [string, TarSpec[], RegExp][] = [
    ['a ../x entry', [{ path: '../x', body: 'escape' }], /^stratum: UnsafePath: entry '\.\.\/x': /],
    [
      'a nested a/../../x entry',
      [
        { path: 'a', type: 'dir' },
        { path: 'a/../../x', body: 'escape' },
      ],
      /^stratum: UnsafePath: entry 'a\/\.\.\/\.\.\/x': /,
    ],
    [
      'a hardlink to /etc/passwd',
      [{ path: 'pw', type: 'hardlink', linkname: '/etc/passwd' }],
      /^stratum: UnsafePath: entry 'pw': hardlink target '\/etc\/passwd' does not exist/,
    ],
    [
      'a hardlink to ../../etc/shadow',
      [{ path: 'sh', type: 'hardlink', linkname: '../../etc/shadow' }],
      /^stratum: UnsafePath: entry 'sh': /,
    ],
  ]
  for (const [name, specs, line] of cases) {
    it(`${name}: exit 1, one line naming the tag and the entry, no new layer`, async () => {
      const r = await refused(buildTar(specs))
      expect(r.code).toBe(1)
      expect(r.stdout).toBe('')
      oneLine(r.stderr)
      expect(r.stderr).toMatch(line)
      expect(r.after).toEqual(r.before)
    })
  }

  it('a corrupt gzip: CorruptLayer naming the gzip failure, no new layer', async () => {
    const gz = gzipSync(buildTar([{ path: 'f', body: 'x'.repeat(5000) }]))
    const r = await refused(gz.subarray(0, gz.length - 20))
    expect(r.code).toBe(1)
    oneLine(r.stderr)
    expect(r.stderr).toMatch(/^stratum: CorruptLayer: .*gzip/)
    expect(r.after).toEqual(r.before)
  })

  it('gzip magic followed by garbage: CorruptLayer', async () => {
    const r = await refused(new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8]))
    expect(r.code).toBe(1)
    oneLine(r.stderr)
    expect(r.stderr).toMatch(/^stratum: CorruptLayer: /)
    expect(r.after).toEqual(r.before)
  })

  it('apply of a hostile tar onto a container fails the same way', async () => {
    const dir = await tempDir()
    await jsonAt(dir)('start', 'c', 'empty')
    await writeFile(join(dir, 'bad.tar'), buildTar([{ path: '../../x', body: 'escape' }]))
    const r = await cliAt(dir)('apply', 'c', join(dir, 'bad.tar'))
    expect(r.code).toBe(1)
    oneLine(r.stderr)
    expect(r.stderr).toMatch(/^stratum: UnsafePath: entry '\.\.\/\.\.\/x': /)
  })
})
