/**
 * LayerStore commit and package, on any driver: a committed layer holds exactly the
 * container's changes and reproduces its tree elsewhere; keep and not-keep; dedupe; recovery
 * of a kept commit interrupted after its promote.
 */
import {
  type AnyName,
  type ChainId,
  type DatasetName,
  type LayerStore,
  MEDIA_LAYER_TAR,
  datasetName,
  digestHex,
  openLayerStore,
  sha256,
  snapshotName,
} from '@stratum/core'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { FeatureGroup, SuiteContext } from '../context.js'
import type { Fixture } from '../fixture.js'
import { checkProperty } from '../property/config.js'
import { layerRuns } from './apply-tar.js'
import { baseLayer, storeDatasets, withStore } from '../fixtures/layers.js'
import { COMPRESSIONS, compressLayer } from '../fixtures/compress.js'
import { buildTar, chunked, concat, readTar, treeLines } from '../fixtures/store.js'

const EXISTING = ['etc/os-release', 'etc/motd', 'bin/sh'] as const
const FRESH = ['etc/new1', 'bin/new2', 'new3', 'etc/new4'] as const
type Edit = { path: string; op: 'modify' | 'delete' | 'chmod' | 'create'; content: string }

const editsArb: fc.Arbitrary<Edit[]> = fc
  .tuple(
    fc.subarray([...EXISTING]).chain((ps) =>
      fc.tuple(
        ...ps.map((path) =>
          fc.record({
            path: fc.constant(path),
            op: fc.constantFrom('modify' as const, 'delete' as const, 'chmod' as const),
            content: fc.string({ maxLength: 20 }),
          }),
        ),
      ),
    ),
    fc.subarray([...FRESH]).chain((ps) =>
      fc.tuple(
        ...ps.map((path) =>
          fc.record({
            path: fc.constant(path),
            op: fc.constant('create' as const),
            content: fc.string({ maxLength: 20 }),
          }),
        ),
      ),
    ),
  )
  .map(([a, b]) => [...a, ...b])

const runtime = (f: Fixture, id: string): DatasetName => datasetName(`${f.base}/runtime/${id}`)
const layerSnap = (base: DatasetName, c: ChainId): AnyName => snapshotName(`${base}/storage/${digestHex(c)}@extracted`)

const applyEdits = async (ctx: SuiteContext, f: Fixture, id: string, edits: readonly Edit[]): Promise<void> => {
  const t = await ctx.ok(f.driver.fs(runtime(f, id)))
  for (const e of edits) {
    const data = new TextEncoder().encode(e.content)
    if (e.op === 'modify') await ctx.ok(t.writeFile(e.path, data, { flag: 'truncate' }))
    if (e.op === 'create') await ctx.ok(t.writeFile(e.path, data, { mode: 0o640 }))
    if (e.op === 'delete') await ctx.ok(t.unlink(e.path))
    if (e.op === 'chmod') await ctx.ok(t.chmod(e.path, 0o600))
  }
}

const clean = (n: string): string => n.replace(/^\.\//, '').replace(/\/$/, '')
const ancestors = (p: string): string[] =>
  p
    .split('/')
    .slice(0, -1)
    .map((_, i, a) => a.slice(0, i + 1).join('/'))

/** Starts c1 on a one-layer base image; gives the store and the base chainID. */
const started = async (ctx: SuiteContext, s: LayerStore): Promise<ChainId> => {
  const base = (await ctx.ok(s.extractLayer('empty', chunked(await baseLayer()), { mediaType: MEDIA_LAYER_TAR })))
    .chainId
  await ctx.ok(s.start('c1', base))
  return base
}

export const storeCommitGroup: FeatureGroup = (ctx) => {
  describe('LayerStore: commit and package', () => {
    // commit after random mutations: the packaged layer holds exactly those mutations, and extracting it (in any compression) onto the parent elsewhere reproduces the container's tree
    it("a committed layer is exactly the container's changes and reproduces its tree elsewhere", () =>
      checkProperty(
        fc.asyncProperty(editsArb, fc.boolean(), fc.constantFrom(...COMPRESSIONS), (edits, keep, compression) =>
          withStore(ctx, async (s, f) => {
            const base = await started(ctx, s)
            await applyEdits(ctx, f, 'c1', edits)
            const expectedTree = await treeLines(f.driver, runtime(f, 'c1'))
            const committed = await ctx.ok(s.commit('c1', { keep }))
            expect(committed.deduped).toBe(false)
            expect(await treeLines(f.driver, layerSnap(f.base, committed.chainId))).toEqual(expectedTree)

            const pkg = await ctx.ok(s.packageLayer(committed.chainId))
            const bytes = await concat(pkg.tar)
            expect(sha256(bytes)).toBe(pkg.diffId)
            expect(pkg.diffId).toBe(committed.diffId)
            const entries = (await readTar(bytes)).map((e) => ({ ...e, name: clean(e.name) }))
            const nonDirs = entries
              .filter((e) => e.type !== 'directory')
              .map((e) => e.name)
              .sort()
            const wanted = edits.map((e) => (e.op === 'delete' ? e.path.replace(/([^/]*)$/, '.wh.$1') : e.path)).sort()
            expect(nonDirs).toEqual(wanted)
            const allowedDirs = new Set(['', ...edits.flatMap((e) => ancestors(e.path))])
            for (const d of entries.filter((e) => e.type === 'directory'))
              expect(allowedDirs.has(d.name), d.name).toBe(true)

            const elsewhere = await ctx.ok(openLayerStore(f.driver, datasetName(`${f.base}/elsewhere`)))
            const base2 = (
              await ctx.ok(elsewhere.extractLayer('empty', chunked(await baseLayer()), { mediaType: MEDIA_LAYER_TAR }))
            ).chainId
            expect(base2).toBe(base)
            const { blob, mediaType } = compressLayer(bytes, compression)
            const top2 = (await ctx.ok(elsewhere.extractLayer(base2, chunked(blob), { mediaType, diffId: pkg.diffId })))
              .chainId
            expect(top2).toBe(committed.chainId)
            expect(await treeLines(f.driver, layerSnap(datasetName(`${f.base}/elsewhere`), top2))).toEqual(expectedTree)

            const containers = await ctx.ok(s.listContainers())
            if (keep) expect(containers).toEqual([expect.objectContaining({ id: 'c1', parent: committed.chainId })])
            else expect(containers).toEqual([])
          }),
        ),
        layerRuns(ctx.budget.property, undefined, 16),
      ))

    it('keep: the container becomes a clone of the new layer and can be committed again on top of it', () =>
      withStore(ctx, async (s, f) => {
        const base = await started(ctx, s)
        await ctx.ok(s.apply('c1', chunked(await buildTar([{ path: 'a', type: 'file', content: 'one' }]))))
        const first = await ctx.ok(s.commit('c1', { keep: true }))
        const info = (await ctx.ok(f.driver.list(runtime(f, 'c1'))))[0]!
        expect(info.origin).toBe(layerSnap(f.base, first.chainId))
        await ctx.ok(s.apply('c1', chunked(await buildTar([{ path: 'b', type: 'file', content: 'two' }]))))
        const second = await ctx.ok(s.commit('c1', { keep: false }))
        const layers = await ctx.ok(s.listLayers())
        expect(layers.find((l) => l.chainId === first.chainId)).toMatchObject({
          parent: base,
          state: 'ready',
          diffId: first.diffId,
        })
        expect(layers.find((l) => l.chainId === second.chainId)).toMatchObject({
          parent: first.chainId,
          state: 'ready',
        })
        expect(await ctx.ok(s.listContainers())).toEqual([])
        const names = await storeDatasets(ctx, f)
        expect(names.filter((n) => n.includes('@') && !n.endsWith('@extracted'))).toEqual([])
        expect(names.filter((n) => n.startsWith(`${f.base}/tmp/`))).toEqual([])
      }))

    it('the same change committed twice is deduped; the second runtime is destroyed when not kept', () =>
      withStore(ctx, async (s, f) => {
        const base = await started(ctx, s)
        await ctx.ok(s.start('c2', base))
        const change = await buildTar([{ path: 'etc/motd', type: 'file', content: 'same' }])
        await ctx.ok(s.apply('c1', chunked(change)))
        await ctx.ok(s.apply('c2', chunked(change)))
        // the same tree, down to the directory mtimes the writes bumped
        for (const id of ['c1', 'c2']) {
          const t = await ctx.ok(f.driver.fs(runtime(f, id)))
          await ctx.ok(t.utimes('etc', 1_600_000_000_000))
          await ctx.ok(t.utimes('', 1_600_000_000_000))
        }
        const a = await ctx.ok(s.commit('c1', { keep: false }))
        const b = await ctx.ok(s.commit('c2', { keep: false }))
        expect(b).toEqual({ ...a, deduped: true })
        expect(await ctx.ok(s.listContainers())).toEqual([])
        expect((await storeDatasets(ctx, f)).filter((n) => n.startsWith(`${f.base}/runtime/`))).toEqual([])
      }))

    it('recover rolls back a kept commit interrupted after its promote; the container is intact', () =>
      withStore(ctx, async (s, f) => {
        const base = await started(ctx, s)
        await ctx.ok(s.apply('c1', chunked(await buildTar([{ path: 'x', type: 'file', content: 'x' }]))))
        const before = await treeLines(f.driver, runtime(f, 'c1'))
        const d = f.driver
        await ctx.ok(d.snapshot(snapshotName(`${runtime(f, 'c1')}@commit-1`)))
        await ctx.ok(d.clone(snapshotName(`${runtime(f, 'c1')}@commit-1`), datasetName(`${f.base}/tmp/k`)))
        await ctx.ok(d.promote(datasetName(`${f.base}/tmp/k`)))
        await ctx.ok(
          d.renameSnapshot(snapshotName(`${f.base}/tmp/k@commit-1`), snapshotName(`${f.base}/tmp/k@extracted`)),
        )
        const report = await ctx.ok(s.recover())
        expect(report.destroyed).toEqual([`${f.base}/tmp/k`])
        expect(await treeLines(f.driver, runtime(f, 'c1'))).toEqual(before)
        expect(await ctx.ok(s.listContainers())).toEqual([expect.objectContaining({ id: 'c1', parent: base })])
        const names = await storeDatasets(ctx, f)
        expect(names.filter((n) => n.startsWith(`${f.base}/tmp/`) || n.startsWith(`${runtime(f, 'c1')}@`))).toEqual([])
        const again = await ctx.ok(s.commit('c1', { keep: false }))
        expect(await treeLines(f.driver, layerSnap(f.base, again.chainId))).toEqual(before)
      }))
  })
}
