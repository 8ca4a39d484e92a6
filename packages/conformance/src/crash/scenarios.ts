/**
 * The operations the crash groups interrupt, over one prepared store:
 *   image `base` = [B1, B2] extracted; c0 started on B1, changed and committed (layer K);
 *   c1 started on B2 and changed.
 * Each scenario is one LayerStore operation from that state; image `app` = [B1, A2, A3]
 * shares B1 with `base`. Nothing refers to K, so prune collects it.
 */
import {
  type ChainId,
  type LayerStore,
  openLayerStore,
  type PruneReport,
  type StorageError,
  type StoreOptions,
  type WrittenImage,
} from '@stratum/core'
import type { TaskEither } from 'fp-ts/lib/TaskEither.js'
import type { SuiteContext } from '../context.js'
import type { Fixture } from '../fixture.js'
import { buildTar, chunked, tempLayoutDir, writeImage } from '../fixtures/store.js'

export interface CrashEnv {
  readonly dir: string
  readonly base: WrittenImage
  readonly app: WrittenImage
  readonly t0: Uint8Array
  readonly t1: Uint8Array
  readonly t2: Uint8Array
  cleanup(): Promise<void>
}

export const makeCrashEnv = async (): Promise<CrashEnv> => {
  const { dir, cleanup } = await tempLayoutDir()
  const b1 = await buildTar([
    { path: 'etc/', type: 'dir' },
    { path: 'etc/motd', type: 'file', content: 'hello\n' },
    { path: 'bin/', type: 'dir' },
    { path: 'bin/sh', type: 'file', content: '#!sh', mode: 0o755 },
  ])
  const b2 = await buildTar([
    { path: 'etc/motd', type: 'whiteout' },
    { path: 'etc/os-release', type: 'file', content: 'base\n' },
  ])
  const a2 = await buildTar([
    { path: 'app/', type: 'dir' },
    { path: 'app/run', type: 'file', content: 'run', mode: 0o755 },
  ])
  const a3 = await buildTar([
    { path: 'app/run', type: 'file', content: 'run v3', mode: 0o755 },
    { path: 'app/lib', type: 'symlink', target: '../bin' },
  ])
  return {
    dir,
    cleanup,
    base: await writeImage(dir, 'base', [b1, b2]),
    app: await writeImage(dir, 'app', [b1, a2, a3]),
    t0: await buildTar([
      { path: 'var/', type: 'dir' },
      { path: 'var/log', type: 'file', content: 'c0' },
    ]),
    t1: await buildTar([
      { path: 'home/', type: 'dir' },
      { path: 'home/a', type: 'file', content: 'a' },
      { path: 'bin/sh', type: 'whiteout' },
    ]),
    t2: await buildTar([
      { path: 'home/a', type: 'whiteout' },
      { path: 'home/b', type: 'file', content: 'b' },
      { path: 'etc/os-release', type: 'file', content: 'changed\n' },
      { path: 'srv/', type: 'dir' },
      { path: 'srv/x', type: 'symlink', target: '/etc/os-release' },
    ]),
  }
}

export interface Prepared {
  /** the layer committed from c0: nothing depends on it */
  readonly committed: ChainId
}

export const prepare = async (ctx: SuiteContext, f: Fixture, env: CrashEnv, opts: StoreOptions): Promise<Prepared> => {
  const s = await ctx.ok(openLayerStore(f.driver, f.base, opts), 'prepare: open')
  await ctx.ok(s.extractImage(env.dir, 'base'), 'prepare: extract base')
  await ctx.ok(s.start('c0', env.base.chainIds[0]!), 'prepare: start c0')
  await ctx.ok(s.apply('c0', chunked(env.t0)), 'prepare: apply c0')
  const k = await ctx.ok(s.commit('c0', { keep: false }), 'prepare: commit c0')
  await ctx.ok(s.start('c1', env.base.chainIds[1]!), 'prepare: start c1')
  await ctx.ok(s.apply('c1', chunked(env.t1)), 'prepare: apply c1')
  return { committed: k.chainId }
}

export interface Scenario {
  readonly name: string
  /** a container the operation changes file by file (its tree may be half-done before a retry) */
  readonly partial?: string
  op(s: LayerStore, env: CrashEnv, p: Prepared): TaskEither<StorageError, unknown>
  /** whether a result reports the whole operation done (default: any success does) */
  done?(result: unknown): boolean
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'extract of a 3-layer image sharing a layer', op: (s, env) => s.extractImage(env.dir, 'app') },
  { name: 'start', op: (s, env) => s.start('c2', env.base.chainIds[1]!) },
  { name: 'apply', partial: 'c1', op: (s, env) => s.apply('c1', chunked(env.t2)) },
  { name: 'commit, not kept', op: (s) => s.commit('c1', { keep: false }) },
  { name: 'commit, kept', op: (s) => s.commit('c1', { keep: true }) },
  { name: 'removeContainer', op: (s) => s.removeContainer('c1') },
  { name: 'removeLayer', op: (s, _env, p) => s.removeLayer(p.committed) },
  {
    name: 'prune (collects the committed layer)',
    op: (s) => s.prune(),
    // prune goes on past a failing layer and reports it in `skipped`
    done: (r) => (r as PruneReport).skipped.length === 0,
  },
]
