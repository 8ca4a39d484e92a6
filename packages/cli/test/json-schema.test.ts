// Every command's --json document has exactly the fields docs/cli-json.md lists, with `version: 1` (io-ts codecs of the doc).
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { buildTar } from '../src/demo/tar.js'
import { cliAt, tempDir, writeImage } from './helpers.js'

/** An object with required fields `r` and optional ones `o` (absent from the JSON when unknown). */
const obj = (r: t.Props, o: t.Props = {}) => t.intersection([t.type(r), t.partial(o)])
const str = t.string
const layerRow = obj(
  { chainId: str, parent: str, size: t.number, referenced: t.number },
  { diffId: str, state: str, created: str },
)
const skipped = t.array(t.type({ name: str, reason: str }))
const prune = { dryRun: t.boolean, removed: t.array(str), skipped }

/** The documents of docs/cli-json.md, each without its `version`. */
const DOCS = {
  init: obj({ driver: str, base: str, storage: str, runtime: str, tmp: str }, { state: str }),
  extract: t.type({ name: str, layers: t.array(t.type({ chainId: str, diffId: str, reused: t.boolean })), top: str }),
  'extract-layer': t.type({ chainId: str, parent: str, mediaType: str }),
  start: t.type({ container: str, layer: str }),
  view: t.type({ container: str, layer: str, view: t.literal(true) }),
  apply: t.type({ container: str, entries: t.number, bytes: t.number }),
  commit: t.type({
    container: str,
    chainId: str,
    diffId: str,
    deduped: t.boolean,
    kept: t.boolean,
    foreign: t.array(str),
  }),
  package: t.type({ chainId: str, diffId: str, file: str, bytes: t.number, compression: str, digest: str }),
  save: obj(
    {
      layout: str,
      ref: str,
      manifest: str,
      layers: t.array(t.type({ digest: str, diffId: str, chainId: str })),
      top: str,
      source: str,
    },
    { base: str },
  ),
  export: t.type({ source: str, dataset: str, dir: str, entries: t.number, bytes: t.number }),
  'ls layers': t.type({ layers: t.array(layerRow) }),
  'ls containers': t.type({
    containers: t.array(
      obj(
        { id: str, parent: str, size: t.number, referenced: t.number },
        { created: str, labels: t.record(str, str), view: t.literal(true) },
      ),
    ),
  }),
  label: t.union([
    t.type({ container: str, labels: t.record(str, str) }),
    t.type({ image: str, labels: t.record(str, str) }),
  ]),
  'ls images': t.type({
    images: t.array(
      obj(
        { name: str, manifest: str, config: str, top: str, created: str },
        { platform: str, labels: t.record(str, str) },
      ),
    ),
  }),
  usage: t.type({
    layers: t.array(t.type({ chainId: str, unique: t.number, referenced: t.number, available: t.number })),
    containers: t.array(
      t.type({
        id: str,
        unique: t.number,
        referenced: t.number,
        available: t.number,
        refquota: t.union([t.number, t.null]),
        quota: t.union([t.number, t.null]),
      }),
    ),
  }),
  rmi: t.intersection([
    t.union([t.type({ untagged: str }), t.type({ removed: str })]),
    t.type({ results: t.array(t.union([t.type({ untagged: str }), t.type({ removed: str })])) }),
  ]),
  prune: t.type(prune),
  rm: t.type({ removed: str, ids: t.array(str) }),
  recover: t.type({ destroyed: t.array(str), rolledBack: t.array(str), completed: t.array(str), skipped }),
  completion: t.type({ shell: str, script: str }),
  error: t.type({ error: t.intersection([t.type({ tag: str, message: str }), t.UnknownRecord]) }),
} as const

/** Keys of a document that its codec does not list (exact shapes, one level deep and in arrays of objects). */
const extraKeys = (codec: t.Mixed, v: unknown): string[] => {
  if (codec instanceof t.UnionType) {
    const fits = (codec.types as t.Mixed[]).filter((c) => c.is(v))
    return fits.length === 0
      ? ['<no member>']
      : fits.map((c) => extraKeys(c, v)).reduce((a, b) => (a.length < b.length ? a : b))
  }
  if (codec instanceof t.ArrayType && Array.isArray(v)) return v.flatMap((x) => extraKeys(codec.type as t.Mixed, x))
  const parts = codec instanceof t.IntersectionType ? (codec.types as t.Mixed[]) : [codec]
  if (!parts.every((c) => c instanceof t.InterfaceType || c instanceof t.PartialType)) return []
  if (typeof v !== 'object' || v === null) return []
  const props: Record<string, t.Mixed> = Object.assign({}, ...parts.map((c) => (c as t.InterfaceType<t.Props>).props))
  return Object.entries(v).flatMap(([k, x]) => (k in props ? extraKeys(props[k]!, x).map((e) => `${k}.${e}`) : [k]))
}

describe('--json documents', () => {
  it('every command prints version 1 and exactly the documented fields', async () => {
    const dir = await tempDir()
    const img = await writeImage(join(dir, 'img'), 'v1', [[{ path: 'a', body: 'a\n' }]])
    await writeFile(join(dir, 'l.tar'), buildTar([{ path: 'b', body: 'b\n' }]))
    const run = async (key: keyof typeof DOCS, ...args: string[]): Promise<void> => {
      const r = await cliAt(dir)('--json', ...args)
      expect(r.code, `${key}: ${r.stderr}`).toBe(key === 'error' ? 1 : 0)
      const { version, ...doc } = JSON.parse(r.stdout) as Record<string, unknown>
      expect(version, key).toBe(1)
      expect(DOCS[key].is(doc), `${key}: ${r.stdout}`).toBe(true)
      expect(extraKeys(DOCS[key], doc), key).toEqual([])
    }
    const top = img.chainIds[0] as string
    await run('init', 'init')
    await run('extract', 'extract', `${join(dir, 'img')}:v1`)
    await run('extract-layer', 'extract-layer', top, join(dir, 'l.tar'))
    await run('start', 'start', 'web', top, '-l', 'tier=front')
    await run('label', 'label', 'web', 'env=prod', 'tier-')
    await run('label', 'label', 'img:v1', 'pinned=yes')
    await run('apply', 'apply', 'web', join(dir, 'l.tar'))
    await run('commit', 'commit', '--keep', 'web')
    await run('package', 'package', '-o', join(dir, 'out.tar'), top)
    await run('save', 'save', 'img:v1', join(dir, 'saved'))
    await run('export', 'export', 'web', join(dir, 'tree'))
    await run('ls layers', 'ls', 'layers')
    await run('ls containers', 'ls', 'containers', '--filter', 'label=env=prod')
    await run('view', 'view', 'img:v1', 'look')
    await run('ls containers', 'ls', 'containers')
    await run('rm', 'rm', 'look')
    await run('ls images', 'ls', 'images', '--filter', 'label=pinned')
    await run('usage', 'usage')
    await run('rm', 'rm', 'web')
    await run('rmi', 'rmi', 'img:v1')
    await run('prune', 'prune', '--dry-run')
    await run('recover', 'recover')
    await run('completion', 'completion', 'bash')
    await run('error', 'rm', 'ghost')
  })
})
