// With descriptor pinning, a directory swapped for a symlink after the walk cannot redirect the final call; the path fallback shows why it matters.
import {
  closeSync,
  constants,
  mkdirSync,
  readdirSync,
  renameSync,
  symlinkSync,
  writeFileSync,
  existsSync,
} from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { canPin, makeResolver } from '../../src/hostfs/resolve.js'
import { releaseHostDescriptors } from '../../src/hostfs/dir-cache.js'
import { libcCalls } from '../../src/hostfs/host-calls.js'
import { libc } from '../../src/hostfs/libc.js'
import { hostFileTree } from '../../src/index.js'
import { sandbox, type Sandbox } from './helpers.js'

let sb: Sandbox
beforeEach(() => {
  sb = sandbox()
})
afterEach(() => sb.dispose())

/** Walks to `d/x`, then (as a racing writer would) swaps `d` for a symlink to the outside, then writes at the located path (native: by openat on the pinned descriptor). */
const raceWrite = async (pin: boolean, native = false): Promise<void> => {
  mkdirSync(join(sb.root, 'd'))
  const l = await makeResolver(sb.root, { reservedRootNames: [] }, pin).locate('d/x')
  try {
    renameSync(join(sb.root, 'd'), join(sb.root, 'd.old'))
    symlinkSync(sb.outside, join(sb.root, 'd'))
    if (native)
      closeSync(libcCalls(libc()!).open(l.at, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644))
    else if (l.kind === 'entry') writeFileSync(l.host, 'raced', { flag: 'wx' })
  } finally {
    await l.release()
  }
}

describe('a directory swapped after the walk', () => {
  it.runIf(canPin())('pinned: the write lands in the directory that was checked, not outside', async () => {
    await raceWrite(true)
    expect(readdirSync(join(sb.root, 'd.old'))).toEqual(['x'])
    expect(existsSync(join(sb.outside, 'x'))).toBe(false)
  })

  it.runIf(canPin() && libc() !== undefined)(
    'pinned, native: openat lands in the directory that was checked',
    async () => {
      await raceWrite(true, true)
      expect(readdirSync(join(sb.root, 'd.old'))).toEqual(['x'])
      expect(existsSync(join(sb.outside, 'x'))).toBe(false)
    },
  )

  it('path fallback: the same race escapes (why Linux pins by descriptor)', async () => {
    await raceWrite(false)
    expect(existsSync(join(sb.outside, 'x'))).toBe(true)
  })
})

describe('descriptors', () => {
  it.runIf(canPin())('kept between calls are all closed by releaseHostDescriptors, also after failures', async () => {
    const fds = () => readdirSync(`/proc/${process.pid}/fd`).length
    mkdirSync(join(sb.root, 'a/b/c'), { recursive: true })
    writeFileSync(join(sb.root, 'a/f'), 'x')
    symlinkSync('/a/b', join(sb.root, 'a/l'))
    const r = makeResolver(sb.root, { reservedRootNames: ['.zfs'] }, true)
    releaseHostDescriptors()
    const before = fds()
    for (const p of ['a/b/c/x', 'a/l/c/../x', '', '..', 'a/..', 'a/f/x', 'nope/x', '.zfs/x', 'a/l/../../l/c']) {
      try {
        const l = await r.locate(p)
        await l.release()
      } catch {
        /* failures must release too */
      }
    }
    releaseHostDescriptors()
    expect(fds()).toBe(before)
  })

  it.runIf(canPin())('are closed once the process has been idle for a moment', async () => {
    const fds = () => readdirSync(`/proc/${process.pid}/fd`).length
    releaseHostDescriptors()
    const before = fds()
    const t = hostFileTree(sb.root, { readOnly: false })
    const r = await t.writeFile('a/b/c/f', new Uint8Array([1]))()
    expect(r._tag).toBe('Left') // a/b/c does not exist
    await t.mkdir('a')()
    await t.mkdir('a/b')()
    await t.lstat('a/b')()
    expect(fds()).toBeGreaterThan(before)
    await new Promise((res) => setTimeout(res, 200))
    expect(fds()).toBe(before)
  })

  it.runIf(canPin())('a call under way keeps its directory: a release meanwhile does not redirect it', async () => {
    mkdirSync(join(sb.root, 'd'))
    const t = hostFileTree(sb.root, { readOnly: false })
    // the mknod program runs on the pinned path /proc/<pid>/fd/<n>/p while this process goes on
    const pending = t.mknod('d/p', '|')()
    releaseHostDescriptors()
    // descriptor numbers freed by the release would be taken again by directories outside
    const other = hostFileTree(sb.outside, { readOnly: false })
    await other.mkdir('x')()
    await other.lstat('x/y')()
    expect((await pending)._tag).toBe('Right')
    expect(readdirSync(join(sb.root, 'd'))).toEqual(['p'])
    expect(readdirSync(sb.outside).sort()).toEqual(['secret', 'x'])
  })
})
