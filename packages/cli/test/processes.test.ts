/**
 * Real `stratum` processes (the built binary) on one --state file at once: extracts, starts,
 * apply, commit, rm, rmi, recover and ls, some SIGKILLed at random moments. Afterwards (and a
 * recover) every command that reported success is in the state, killed ones left all or
 * nothing of their work, and nothing else is there.
 */
import { spawn } from 'node:child_process'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { datasetName } from '@stratum/core'
import { openSimDriver } from '@stratum/sim-driver'
import { buildTar } from '../src/demo/tar.js'
import { BIN, jsonAt, tempDir, writeImage } from './helpers.js'

interface Proc {
  readonly args: readonly string[]
  readonly kill: boolean
  code: number | null
  signal: string | null
  out: string
  err: string
}

const runAll = (cwd: string, state: string, procs: Proc[]): Promise<unknown[]> =>
  Promise.all(
    procs.map(
      (p) =>
        new Promise<void>((done) => {
          const c = spawn(process.execPath, [BIN, '--json', '--state', state, ...p.args], {
            cwd,
            env: { PATH: process.env.PATH },
            stdio: ['ignore', 'pipe', 'pipe'],
          })
          c.stdout.on('data', (b: Buffer) => {
            p.out += b.toString()
          })
          c.stderr.on('data', (b: Buffer) => {
            p.err += b.toString()
          })
          const killer = p.kill ? setTimeout(() => c.kill('SIGKILL'), 150 + Math.floor(Math.random() * 600)) : undefined
          const limit = setTimeout(() => c.kill('SIGKILL'), 60_000)
          c.on('exit', (code, signal) => {
            clearTimeout(killer)
            clearTimeout(limit)
            p.code = code
            p.signal = signal
            done()
          })
        }),
    ),
  )

const proc = (kill: boolean, ...args: string[]): Proc => ({ args, kill, code: null, signal: null, out: '', err: '' })
const files = (tag: string, n: number) =>
  Array.from({ length: n }, (_, i) => ({ path: `${tag}/f${i}`, body: `${tag} ${i}\n` }))

describe('many stratum processes on one state file', () => {
  it('every reported success is in the final state, killed commands leave all or nothing, nothing else appears', async () => {
    const dir = await tempDir()
    const state = join(dir, 'state')
    const cli = jsonAt(dir)
    const imgs = await Promise.all(
      ['a', 'b', 'c'].map((t) =>
        writeImage(join(dir, `img-${t}`), 'v1', [
          [{ path: t, type: 'dir' as const }, ...files(t, 20)],
          [{ path: `${t}/f0`, body: 'changed\n' }, { path: `${t}/.wh.f1` }],
        ]),
      ),
    )
    const base = await writeImage(join(dir, 'img-base'), 'v1', [
      [
        { path: 'etc', type: 'dir' as const },
        { path: 'etc/os', body: 'base\n' },
      ],
    ])
    const lone = await writeImage(join(dir, 'img-lone'), 'v1', [[{ path: 'lone', body: 'lone\n' }]])
    await writeFile(join(dir, 'apply.tar'), buildTar([{ path: 'applied', body: 'applied\n' }]))
    const top = base.chainIds[0]!
    await cli('extract', `${join(dir, 'img-base')}:v1`)
    await cli('extract', `${join(dir, 'img-lone')}:v1`)
    for (const id of ['keep', 'committed', 'removed']) await cli('start', id, top)

    const procs = [
      proc(false, 'extract', `${join(dir, 'img-a')}:v1`),
      proc(false, 'extract', `${join(dir, 'img-b')}:v1`),
      proc(true, 'extract', `${join(dir, 'img-c')}:v1`),
      proc(false, 'start', 's1', top),
      proc(false, 'start', 's2', 'empty'),
      proc(true, 'start', 's3', top),
      proc(false, 'apply', 'keep', join(dir, 'apply.tar')),
      proc(false, 'commit', 'committed'),
      proc(false, 'rm', 'removed'),
      proc(false, 'rmi', lone.chainIds[0]!),
      proc(true, 'recover'),
      proc(false, 'ls', 'layers'),
      proc(false, 'ls', 'containers'),
    ]
    await runAll(dir, state, procs)
    for (const p of procs.filter((q) => !q.kill)) expect(p.code, `${p.args.join(' ')}: ${p.err}`).toBe(0)
    const ok = (p: Proc) => p.code === 0
    await cli('recover')

    const layers = new Map(
      (await cli<{ layers: { chainId: string; state: string }[] }>('ls', 'layers')).layers.map((l) => [
        l.chainId,
        l.state,
      ]),
    )
    const containers = new Set(
      (await cli<{ containers: { id: string }[] }>('ls', 'containers')).containers.map((c) => c.id),
    )
    const [ea, eb, ec, s1, s2, s3, apply, commit, rm, rmi] = procs as [
      Proc,
      Proc,
      Proc,
      Proc,
      Proc,
      Proc,
      Proc,
      Proc,
      Proc,
      Proc,
    ]
    const committed = ok(commit) ? (JSON.parse(commit.out) as { chainId: string }).chainId : undefined
    // layers: the base, each successful extract's chain, a prefix of the killed one's, the commit's; the lone one unless rmi said removed
    const want = new Set<string>([
      top,
      ...imgs[0]!.chainIds,
      ...imgs[1]!.chainIds,
      ...(committed === undefined ? [] : [committed]),
    ])
    if (!ok(rmi)) want.add(lone.chainIds[0]!)
    const killedChain = imgs[2]!.chainIds
    const extraC = [...layers.keys()].filter((c) => !want.has(c))
    expect(killedChain.slice(0, extraC.length)).toEqual(killedChain.filter((c) => extraC.includes(c)))
    if (ok(ec)) expect(extraC).toEqual(killedChain)
    expect([...layers.keys()].sort()).toEqual([...want, ...extraC].sort())
    for (const s of layers.values()) expect(s).toBe('ready')
    expect(ok(ea) && ok(eb)).toBe(true)
    // containers: the kept one, the started ones (the killed start: all or nothing), not the removed or committed one
    const wantC = new Set(['keep', 's1', 's2'])
    if (!ok(commit)) wantC.add('committed')
    if (!ok(rm)) wantC.add('removed')
    if (containers.has('s3') || ok(s3)) wantC.add('s3')
    expect([...containers].sort()).toEqual([...wantC].sort())
    expect(ok(s1) && ok(s2) && ok(apply)).toBe(true)
    const d = await openSimDriver({ stateFile: state })()
    if (E.isLeft(d)) throw new Error(JSON.stringify(d.left))
    const tree = await d.right.fs(datasetName('stratum/runtime/keep'))()
    if (E.isLeft(tree)) throw new Error(JSON.stringify(tree.left))
    expect(E.isRight(await tree.right.lstat('applied')())).toBe(true)
    expect(E.isRight(await tree.right.lstat('etc/os')())).toBe(true)
  }, 90_000)

  // prune racing an extract and a start in other processes never takes a layer from under a command that succeeds
  it('prune racing an extract and a start from an unreferenced layer: what succeeds keeps its layers, the loser fails typed', async () => {
    for (let round = 0; round < 2; round++) {
      const dir = await tempDir()
      const cli = jsonAt(dir)
      const shared = [{ path: 'etc', type: 'dir' as const }, ...files('etc', 5)]
      const a = await writeImage(join(dir, 'img-a'), 'v1', [shared, files('a', 3)])
      const b = await writeImage(join(dir, 'img-b'), 'v1', [shared, files('b', 3)])
      await cli('extract', `${join(dir, 'img-a')}:v1`, '--name', 'a:1')
      await cli('rmi', 'a:1')
      const procs = [
        proc(false, 'prune'),
        proc(false, 'extract', `${join(dir, 'img-b')}:v1`, '--name', 'b:1'),
        proc(false, 'start', 'web', a.chainIds[1]!),
      ]
      await runAll(dir, join(dir, 'state'), procs)
      const [pr, eb, st] = procs as [Proc, Proc, Proc]
      expect(pr.code, pr.err).toBe(0)
      // a loser of the race is refused with a typed error, never half-done
      for (const p of [eb, st])
        if (p.code !== 0) expect(p.err).toMatch(/Busy|DatasetNotFound|ReferenceNotFound|no layer '|no image or layer '/)
      await cli('recover')
      const layers = (await cli<{ layers: { chainId: string; state: string }[] }>('ls', 'layers')).layers
      const have = new Set(layers.map((l) => l.chainId))
      const removed = (JSON.parse(pr.out) as { removed: string[] }).removed
      const used: string[] = [...(eb.code === 0 ? b.chainIds : []), ...(st.code === 0 ? a.chainIds : [])]
      // what a successful command used is there (made again if prune took it first); what prune took and none used is gone
      for (const c of used) expect(have.has(c), c).toBe(true)
      for (const c of removed) if (!used.includes(c)) expect(have.has(c), c).toBe(false)
      for (const l of layers) expect(l.state).toBe('ready')
      const images = (await cli<{ images: { name: string }[] }>('ls', 'images')).images.map((i) => i.name)
      expect(images).toEqual(eb.code === 0 ? ['b:1'] : [])
      const containers = (await cli<{ containers: { id: string }[] }>('ls', 'containers')).containers.map((c) => c.id)
      expect(containers).toEqual(st.code === 0 ? ['web'] : [])
    }
  }, 90_000)
})
