// Calls a host tree queues on its writer thread (FileTreeNow.writeLater, mkdirLater, settle), and an apply through them.
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { applyLayer, type FileTree, type FileTreeNow, type StorageError } from '@stratum/core'
import { failure, tarOf } from '@stratum/core/testing'
import { releaseHostDescriptors } from '../../src/hostfs/dir-cache.js'
import { hostFileTree } from '../../src/index.js'
import { bytes, callModes, ok, sandbox } from './helpers.js'

const root = process.getuid?.() === 0
const MTIME = 1_500_000_000_000
const caps = { xattrs: false, deviceNodes: false, chown: root, hostPaths: true }

const nowOf = (t: FileTree): FileTreeNow & Required<Pick<FileTreeNow, 'writeLater' | 'mkdirLater' | 'settle'>> => {
  const n = t.now!
  expect(n.writeLater).toBeDefined()
  return n as never
}

/** descriptors of this process that name something under `dir` */
const openUnder = (dir: string): string[] =>
  readdirSync('/proc/self/fd').flatMap((fd) => {
    try {
      const to = readlinkSync(`/proc/self/fd/${fd}`)
      return to === dir || to.startsWith(`${dir}/`) ? [to] : []
    } catch {
      return []
    }
  })

describe.each(callModes())('writeLater, mkdirLater and settle (pin=$pin, native=$native)', (mode) => {
  it('files and directories queued are there, with their bytes, owner, mode and time, for the next call and after settle', async () => {
    const sb = sandbox()
    try {
      const t = hostFileTree(sb.root, { readOnly: false, ...mode })
      const now = nowOf(t)
      const uid = root ? 7 : undefined
      expect(now.mkdirLater('d', { mode: 0o750, uid, gid: uid }, 'entry d')).toEqual(E.right(undefined))
      for (let i = 0; i < 600; i++) {
        const o = { mode: 0o640, mtimeMs: MTIME + i * 1000, uid, gid: uid, flag: 'create' as const }
        expect(now.writeLater(`d/f${i}`, bytes(`file ${i}`), o, `entry ${i}`)).toEqual(E.right(undefined))
      }
      // the next call of another kind sees every queued file, without a settle
      expect((await ok(t.readdir('d'))).length).toBe(600)
      expect(now.settle()).toEqual(E.right(undefined))
      const st = lstatSync(join(sb.root, 'd/f599'))
      expect(readFileSync(join(sb.root, 'd/f599'), 'utf8')).toBe('file 599')
      expect([st.mode & 0o7777, st.mtimeMs]).toEqual([0o640, MTIME + 599_000])
      expect(lstatSync(join(sb.root, 'd')).mode & 0o7777).toBe(0o750)
      if (root) expect([st.uid, st.gid, lstatSync(join(sb.root, 'd')).uid]).toEqual([7, 7, 7])
    } finally {
      sb.dispose()
    }
  })

  it('a queued call that fails is told by settle, once, under its label, naming its path and errno; the tree goes on', async () => {
    const sb = sandbox()
    try {
      const t = hostFileTree(sb.root, { readOnly: false, ...mode })
      const now = nowOf(t)
      const o = { mode: 0o644, flag: 'create' as const }
      expect(now.writeLater('a', bytes('1'), o, 'first a')).toEqual(E.right(undefined))
      // the caller broke the contract (a name queued twice): O_EXCL refuses the second, when it is made or at once
      const twice = now.writeLater('a', bytes('2'), o, 'second a')
      const told = E.isLeft(twice) ? twice : now.settle()
      expect(told).toMatchObject(
        E.isLeft(twice)
          ? { left: { _tag: 'Io', code: 'EEXIST' } }
          : { left: { label: 'second a', error: { _tag: 'Io', code: 'EEXIST', path: 'a' } } },
      )
      expect(now.settle()).toEqual(E.right(undefined))
      expect(now.writeLater('b', bytes('3'), o, 'b')).toEqual(E.right(undefined))
      expect(now.settle()).toEqual(E.right(undefined))
      expect([readFileSync(join(sb.root, 'a'), 'utf8'), readFileSync(join(sb.root, 'b'), 'utf8')]).toEqual(['1', '3'])
    } finally {
      sb.dispose()
    }
  })

  it('no descriptor a queued call held stays open once the descriptors are released', async () => {
    const sb = sandbox()
    try {
      const t = hostFileTree(sb.root, { readOnly: false, ...mode })
      const now = nowOf(t)
      for (let d = 0; d < 20; d++) {
        expect(now.mkdirLater(`d${d}`, { mode: 0o755 }, `d${d}`)).toEqual(E.right(undefined))
        for (let i = 0; i < 20; i++)
          expect(now.writeLater(`d${d}/f${i}`, bytes('x'), { mode: 0o644, flag: 'create' }, 'f')).toEqual(
            E.right(undefined),
          )
      }
      // released without a settle first: the queue is waited for, and its holds end
      releaseHostDescriptors()
      expect(openUnder(sb.root)).toEqual([])
      expect(readdirSync(join(sb.root, 'd19')).length).toBe(20)
      expect(now.settle()).toEqual(E.right(undefined))
    } finally {
      sb.dispose()
    }
  })
})

describe('applyLayer and queued writes', () => {
  /** `inner` whose queued write of `bad` fails, told at settle, as a writer thread's failure is */
  const failingAt = (inner: FileTree, bad: string): FileTree => {
    const n = nowOf(inner)
    let failed: { label: string; error: StorageError } | undefined
    const now: FileTreeNow = {
      ...n,
      writeLater: (p, c, o, label) => {
        if (p !== bad) return n.writeLater(p, c, o, label)
        failed ??= { label, error: { _tag: 'Io', code: 'ENOSPC', path: p, message: 'write failed' } }
        return E.right(undefined)
      },
      settle: () => {
        const f = failed
        failed = undefined
        return f === undefined ? n.settle() : E.left(f)
      },
    }
    return { ...inner, now }
  }

  it('a queued write that failed is the error of the apply, naming its entry, also when a later entry fails too', async () => {
    const sb = sandbox()
    try {
      const entries = [
        { name: 'd/', type: 'directory' as const },
        { name: 'd/a', body: 'a' },
        { name: './d/b', body: 'b' },
        { name: 'd/c', body: 'c' },
      ]
      for (const last of [[], [{ name: 'd/../../escape', body: 'x' }]]) {
        const tree = failingAt(hostFileTree(sb.root, { readOnly: false }), `d${last.length}/b`)
        const tar = await tarOf([
          ...entries.map((e) => ({ ...e, name: e.name.replace('d', `d${last.length}`) })),
          ...last,
        ])
        const e = await failure(
          applyLayer(
            tree,
            (async function* () {
              yield tar
            })(),
            { capabilities: caps },
          ),
        )
        expect(e).toMatchObject({ _tag: 'Io', code: 'ENOSPC', path: `./d${last.length}/b` })
      }
    } finally {
      sb.dispose()
    }
  })
})
