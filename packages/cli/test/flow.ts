/**
 * The whole `stratum` command flow against one backend, as a describe block of steps that run
 * in order on one store: init, extract (and again: reused), extract-layer (.tar and .tar.gz),
 * export of a layer, start/apply/commit --keep, package (+ GNU tar listing), export of a
 * container, commit, ls, rmi refused then done, rm, recover, hostile layers publishing
 * nothing, and the built binary's exit codes. The same flow runs on the simulator
 * (flow-sim.test.ts) and on real ZFS with `--driver zfs` (zfs.test.ts, in the qemu guest).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  chainIdOf,
  type ChainId,
  type DatasetName,
  type DiffId,
  type Driver,
  sha256,
  type PropertyName,
  type SnapshotName,
} from '@stratum/core'
import { buildTar } from '../src/demo/tar.js'
import { CHANGE, CONTAINER_TREE, expectTree, IMAGE, IMAGE_TREE, mustRun } from './flow-data.js'
import { cliOn, jsonOn, runBinary, type Run, writeImage } from './helpers.js'
import { hasTool, itWith, sh } from './interop-tools.js'

export interface FlowBackend {
  readonly driver: 'sim' | 'zfs'
  /** the global options that pick this backend and its base dataset */
  readonly globals: readonly string[]
  readonly base: string
  /** what `init --json` reports as `state` */
  readonly state: string | null
  /** a driver on the same store, to look behind the CLI (opened anew for each use) */
  readonly open: () => Promise<Driver>
  /** removes the store (runs even when a step failed) */
  readonly cleanup: () => Promise<void>
}

const withTar = itWith({ tar: await hasTool('tar') })

interface LayerRow {
  chainId: string
  parent: string
  diffId: string
  state: string
  created: string
}

const oneLine = (r: Run, pattern: RegExp): void => {
  expect(r.code).toBe(1)
  expect(r.stdout).toBe('')
  expect(r.stderr.endsWith('\n')).toBe(true)
  expect(r.stderr.trimEnd().split('\n')).toHaveLength(1)
  expect(r.stderr).toMatch(pattern)
}

const hex = (c: string): string => c.slice('sha256:'.length)

export const describeFlow = (title: string, setup: (work: string) => Promise<FlowBackend>, timeout: number): void => {
  describe(title, () => {
    let work = ''
    let b: FlowBackend | undefined
    const be = (): FlowBackend => {
      if (b === undefined) throw new Error('backend setup failed')
      return b
    }
    const cli = (...args: string[]): Promise<Run> => cliOn(work, be().globals)(...args)
    const json = <A = Record<string, unknown>>(...args: string[]): Promise<A> => jsonOn(work, be().globals)<A>(...args)
    // sizes differ by driver (ls-table.test.ts checks them): the flow compares everything else
    const unsized = <A extends object>(r: A): Omit<A, 'size' | 'referenced'> => {
      const { size: _s, referenced: _r, ...rest } = r as A & { size?: unknown; referenced?: unknown }
      return rest
    }
    const layers = async (): Promise<LayerRow[]> =>
      (await json<{ layers: LayerRow[] }>('ls', 'layers')).layers
        .map(unsized)
        .sort((x, y) => x.chainId.localeCompare(y.chainId))
    const containers = async () => ({
      containers: (await json<{ containers: object[] }>('ls', 'containers')).containers.map(unsized),
    })
    const tmpLeft = async (): Promise<string[]> =>
      (await mustRun('list tmp', (await be().open()).list(`${be().base}/tmp` as DatasetName))).map(
        (i) => i.name as string,
      )
    const ids = { image: [] as ChainId[], x: '', xDiff: '', y: '', yDiff: '', kept: '', keptDiff: '', job: '' }

    beforeAll(async () => {
      work = await mkdtemp(join(tmpdir(), 'stratum-cli-flow-'))
      b = await setup(work)
    }, timeout)
    afterAll(async () => {
      try {
        await b?.cleanup()
      } finally {
        if (work !== '') await rm(work, { recursive: true, force: true })
      }
    }, timeout)

    it(
      'init creates the layout under the base and says so',
      async () => {
        const { base, driver, state } = be()
        const r = await cli('init')
        expect(r).toMatchObject({ code: 0, stderr: '' })
        expect(r.stdout).toBe(
          state === null ? `initialized ${base} (${driver})\n` : `initialized ${base} (${driver}, state ${state})\n`,
        )
        expect(await json('init')).toEqual({
          driver,
          base,
          storage: `${base}/storage`,
          runtime: `${base}/runtime`,
          tmp: `${base}/tmp`,
          state,
        })
        expect(
          await mustRun('exists', (await be().open()).exists(`${base}/storage/empty@extracted` as DatasetName)),
        ).toBe(true)
      },
      timeout,
    )

    it(
      'extract <layout>:<tag> extracts 3 layers (whiteouts, opaque dir, hardlink, symlinks); again: all reused',
      async () => {
        const img = await writeImage(join(work, 'img'), 'v1', IMAGE)
        ids.image = [...img.chainIds]
        const [c1, c2, c3] = ids.image
        const first = await cli('extract', `${join(work, 'img')}:v1`)
        expect(first).toEqual({
          code: 0,
          stdout: `${c1} extracted\n${c2} extracted\n${c3} extracted\ntop ${c3}\nimage img:v1\n`,
          stderr: '',
        })
        const again = await json<{ layers: { chainId: string; diffId: string; reused: boolean }[]; top: string }>(
          'extract',
          `${join(work, 'img')}:v1`,
        )
        const diffIds = IMAGE.map((l) => sha256(buildTar(l)))
        expect(again).toEqual({
          name: 'img:v1',
          layers: ids.image.map((c, i) => ({ chainId: c, diffId: diffIds[i], reused: true })),
          top: c3,
        })
      },
      timeout,
    )

    it(
      'export of a layer writes its tree into a host dir (modes, contents, links, owners as root)',
      async () => {
        const out = join(work, 'out-layer')
        const top = ids.image[2]!
        const r = await json<{ dataset: string; entries: number }>('export', top, out)
        expect(r).toMatchObject({
          dataset: `${be().base}/storage/${hex(top)}@extracted`,
          entries: Object.keys(IMAGE_TREE).length - 1,
        })
        await expectTree(out, IMAGE_TREE)
      },
      timeout,
    )

    it(
      'extract-layer takes a .tar over empty and a .tar.gz over a chainID',
      async () => {
        const x = buildTar([
          { path: 'x', type: 'dir' },
          { path: 'x/one', body: '1\n' },
        ])
        const y = buildTar([{ path: 'x', type: 'dir' }, { path: 'x/.wh.one' }, { path: 'x/two', body: '2\n' }])
        await writeFile(join(work, 'x.tar'), x)
        await writeFile(join(work, 'y.tar.gz'), gzipSync(y))
        const plain = await json<{ chainId: string; parent: string; mediaType: string }>(
          'extract-layer',
          'empty',
          join(work, 'x.tar'),
        )
        expect(plain).toEqual({
          chainId: sha256(x),
          parent: 'empty',
          mediaType: 'application/vnd.oci.image.layer.v1.tar',
        })
        ids.x = plain.chainId
        ids.xDiff = sha256(x)
        ids.yDiff = sha256(y)
        const gz = await cli('extract-layer', ids.x, join(work, 'y.tar.gz'))
        ids.y = chainIdOf(ids.x as ChainId, sha256(y) as DiffId)
        expect(gz).toEqual({ code: 0, stdout: `${ids.y}\n`, stderr: '' })
      },
      timeout,
    )

    it(
      'start, apply (with a whiteout), commit --keep prints the chainID and diffID',
      async () => {
        const top = ids.image[2]!
        expect(await cli('start', 'web', top)).toEqual({ code: 0, stdout: `started web from ${top}\n`, stderr: '' })
        await writeFile(join(work, 'change.tar.gz'), gzipSync(buildTar(CHANGE)))
        expect(await json('apply', 'web', join(work, 'change.tar.gz'))).toMatchObject({
          container: 'web',
          entries: CHANGE.length,
        })
        expect(await containers()).toEqual({
          containers: [{ id: 'web', parent: top, created: expect.any(String) }],
        })
        const r = await cli('commit', 'web', '--keep')
        expect(r).toMatchObject({ code: 0, stderr: '' })
        const m = /^chainid (sha256:[0-9a-f]{64})\ndiffid (sha256:[0-9a-f]{64})\n$/.exec(r.stdout)
        expect(m, r.stdout).not.toBeNull()
        ids.kept = m![1]!
        ids.keptDiff = m![2]!
        expect(ids.kept).toBe(chainIdOf(top, ids.keptDiff as DiffId))
        expect(await containers()).toEqual({
          containers: [{ id: 'web', parent: ids.kept, created: expect.any(String) }],
        })
      },
      timeout,
    )

    it(
      'package -o writes the layer; the printed diffID is the sha256 of the file',
      async () => {
        const file = join(work, 'kept.tar')
        expect(await cli('package', ids.kept, '-o', file)).toEqual({ code: 0, stdout: `${ids.keptDiff}\n`, stderr: '' })
        expect(sha256(await readFile(file))).toBe(ids.keptDiff)
      },
      timeout,
    )

    withTar(
      'the packaged layer lists with GNU tar: the whiteout and the new files',
      async () => {
        const names = (await sh(work, 'tar', '-tf', join(work, 'kept.tar'))).split('\n').filter((n) => n !== '')
        expect(names).toEqual(expect.arrayContaining(['etc/.wh.motd', 'etc/issue', 'etc/issue.net']))
        // the changed directories may come with them (how far up depends on the driver's diff), nothing else
        expect(names.filter((n) => !['./', 'etc/', 'etc/.wh.motd', 'etc/issue', 'etc/issue.net'].includes(n))).toEqual(
          [],
        )
      },
      timeout,
    )

    it(
      'export of a container writes its tree (the applied whiteout, the new hardlinks)',
      async () => {
        const out = join(work, 'out-web')
        expect(await json('export', 'web', out)).toMatchObject({ source: 'web', dataset: `${be().base}/runtime/web` })
        await expectTree(out, CONTAINER_TREE)
      },
      timeout,
    )

    it(
      'commit without --keep consumes the container; ls layers lists every layer with its parent',
      async () => {
        const [c1, c2, c3] = ids.image
        await json('start', 'job', c1!)
        await writeFile(
          join(work, 'job.tar'),
          buildTar([
            { path: 'etc', type: 'dir' },
            { path: 'etc/job', body: 'job\n' },
          ]),
        )
        await json('apply', 'job', join(work, 'job.tar'))
        const r = await json<{ chainId: string; diffId: string }>('commit', 'job')
        expect(r).toEqual({
          container: 'job',
          chainId: expect.any(String),
          diffId: expect.any(String),
          deduped: false,
          kept: false,
          foreign: [],
        })
        ids.job = r.chainId
        expect(ids.job).toBe(chainIdOf(c1!, r.diffId as DiffId))
        expect((await json<{ containers: { id: string }[] }>('ls', 'containers')).containers.map((c) => c.id)).toEqual([
          'web',
        ])
        const [d1, d2, d3] = IMAGE.map((l) => sha256(buildTar(l)))
        const want: [chainId: string, parent: string, diffId: string][] = [
          [c1!, 'empty', d1!],
          [c2!, c1!, d2!],
          [c3!, c2!, d3!],
          [ids.x, 'empty', ids.xDiff],
          [ids.y, ids.x, ids.yDiff],
          [ids.kept, c3!, ids.keptDiff],
          [ids.job, c1!, r.diffId],
        ]
        expect(await layers()).toEqual(
          want
            .sort(([x], [y]) => x.localeCompare(y))
            .map(([chainId, parent, diffId]) => ({
              chainId,
              parent,
              diffId,
              state: 'ready',
              created: expect.any(String),
            })),
        )
      },
      timeout,
    )

    it(
      'rmi is refused with HasDependentClones naming the container while it uses the layer; rm, then rmi works',
      async () => {
        const { base } = be()
        const busy = await cli('rmi', ids.kept)
        expect(busy).toEqual({
          code: 1,
          stdout: '',
          stderr: `stratum: HasDependentClones: '${base}/storage/${hex(ids.kept)}@extracted': dependent clones: ${base}/runtime/web\n`,
        })
        expect(await cli('rm', 'web')).toEqual({ code: 0, stdout: 'removed web\n', stderr: '' })
        expect(await containers()).toEqual({ containers: [] })
        expect(await cli('rmi', ids.kept)).toEqual({ code: 0, stdout: `removed ${ids.kept}\n`, stderr: '' })
        expect((await layers()).map((l) => l.chainId)).not.toContain(ids.kept)
      },
      timeout,
    )

    it(
      'recover destroys a crashed tmp dataset and rolls back a half-done commit',
      async () => {
        const { base } = be()
        await json('start', 'rb', 'empty')
        const d = await be().open()
        await mustRun('create', d.create(`${base}/tmp/crashed` as DatasetName))
        // a commit's container lock left by a committer that recorded no owner (gone)
        const lock = `${base}/runtime/rb@extracted` as SnapshotName
        await mustRun('snapshot', d.snapshot(lock, { properties: { ['stratum:state' as PropertyName]: 'committing' } }))
        expect(await cli('recover')).toEqual({
          code: 0,
          stdout: `destroyed ${base}/tmp/crashed\nrolled back ${lock}\n`,
          stderr: '',
        })
        expect(await json('recover')).toEqual({ destroyed: [], rolledBack: [], completed: [], skipped: [] })
        expect(await cli('rm', 'rb')).toEqual({ code: 0, stdout: 'removed rb\n', stderr: '' })
        expect(await tmpLeft()).toEqual([`${base}/tmp`])
      },
      timeout,
    )

    it(
      'a ../x entry and a corrupt gzip exit 1 with one line naming the tag and the entry; nothing is published',
      async () => {
        const before = await layers()
        await writeFile(
          join(work, 'hostile.tar'),
          buildTar([
            { path: 'ok', body: 'fine' },
            { path: '../x', body: 'escape' },
          ]),
        )
        oneLine(
          await cli('extract-layer', 'empty', join(work, 'hostile.tar')),
          /^stratum: UnsafePath: entry '\.\.\/x': /,
        )
        const gz = gzipSync(buildTar([{ path: 'f', body: 'x'.repeat(5000) }]))
        await writeFile(join(work, 'corrupt.tar.gz'), gz.subarray(0, gz.length - 20))
        oneLine(await cli('extract-layer', 'empty', join(work, 'corrupt.tar.gz')), /^stratum: CorruptLayer: .*gzip/)
        expect(await layers()).toEqual(before)
        expect(await tmpLeft()).toEqual([`${be().base}/tmp`])
      },
      timeout,
    )

    it(
      'the built binary exits 0 with the same listing, 1 with one line for a missing layer',
      async () => {
        const ls = await runBinary(work, ...be().globals, '--json', 'ls', 'layers')
        expect(ls).toMatchObject({ code: 0, stderr: '' })
        expect(
          (JSON.parse(ls.stdout) as { layers: LayerRow[] }).layers
            .map(unsized)
            .sort((x, y) => x.chainId.localeCompare(y.chainId)),
        ).toEqual(await layers())
        const missing = `sha256:${'a'.repeat(64)}`
        expect(await runBinary(work, ...be().globals, 'rmi', missing)).toEqual({
          code: 1,
          stdout: '',
          stderr: `stratum: no layer '${missing}'\nhint: 'stratum ls layers' lists the layers\n`,
        })
      },
      timeout,
    )
  })
}
