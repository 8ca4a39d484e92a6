// hostFileTree's extended attributes on a real temp directory: binary-exact values, the simulator's error codes, and the final component never followed.
import { mkdirSync, readdirSync, renameSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { datasetName, type FileTree } from '@stratum/core'
import { createZfsDriver, hostFileTree, xattrSupport } from '../../src/index.js'
import { canPin, makeResolver } from '../../src/hostfs/resolve.js'
import { releaseHostDescriptors } from '../../src/hostfs/dir-cache.js'
import { xattrBinding } from '../../src/hostfs/xattr-binding.js'
import { xattrOps } from '../../src/hostfs/xattrs.js'
import { replay } from '../fake-executor.js'
import { bytes, failsIo, failsTag, ok, sandbox, xattrRefusal, type Sandbox } from './helpers.js'

const isRoot = process.getuid?.() === 0
const BINARY = Uint8Array.from([0x01, 0x00, 0x00, 0x02, 0xff, 0xfe, 0x80, 0xc3])

const refusal = xattrRefusal()
const host = (sb: Sandbox, p: string) => join(sb.root, p)
const hostList = (p: string): string[] => xattrBinding()!.listAttributesSync(p)

const MNT = ['zfs', 'get', '-H', '-p', '-o', 'name,property,value,source', 'mountpoint,mounted']

it('capabilities follow the binding: createZfsDriver declares xattrs where xattrSupport(); an override to false makes its trees Unsupported', async () => {
  if (process.platform === 'linux' && process.arch === 'x64') expect(xattrSupport()).toBe(true) // a prebuilt binary ships for linux x64 gnu
  expect(createZfsDriver().capabilities.xattrs).toBe(xattrSupport())
  const s = sandbox()
  try {
    const stdout = `p/a\tmountpoint\t${s.root}\tlocal\np/a\tmounted\tyes\t-\n`
    const fake = replay([{ argv: [...MNT, 'p/a'], code: 0, stdout, stderr: '' }])
    const d = createZfsDriver({ exec: fake.exec, capabilities: { xattrs: false } })
    expect(d.capabilities.xattrs).toBe(false)
    const tree = await ok(d.fs(datasetName('p/a')))
    await ok(tree.writeFile('f', bytes('x')))
    await failsTag(tree.setXattr('f', 'user.a', bytes('1')), 'Unsupported')
  } finally {
    s.dispose()
  }
})

// visible in the report as skipped, with the reason, where the host cannot run them
if (refusal !== '') it.skip(`host xattr tests: ${refusal}`, () => {})

let sb: Sandbox
let t: FileTree

describe.runIf(refusal === '').each(canPin() ? [true, false] : [false])('xattrs, pin=%s', (pin) => {
  beforeEach(() => {
    sb = sandbox()
    t = hostFileTree(sb.root, { readOnly: false, pin })
  })
  afterEach(() => sb.dispose())

  it('binary values come back byte for byte; names list in byte order; files, directories and the root', async () => {
    await ok(t.writeFile('f', bytes('x')))
    await ok(t.mkdir('d'))
    for (const p of ['f', 'd', '']) {
      await ok(t.setXattr(p, 'user.b', BINARY))
      await ok(t.setXattr(p, 'user.a', new Uint8Array(0)))
      expect(await ok(t.listXattrs(p))).toEqual(['user.a', 'user.b'])
      expect(Buffer.from(await ok(t.getXattr(p, 'user.b'))).equals(Buffer.from(BINARY))).toBe(true)
      expect((await ok(t.getXattr(p, 'user.a'))).byteLength).toBe(0)
    }
    expect(xattrBinding()!.getAttributeSync(host(sb, 'd'), 'user.b')).toEqual(Buffer.from(BINARY))
    // a subarray of a larger buffer: only its own bytes are written
    await ok(t.setXattr('f', 'user.s', Buffer.from('..abc..').subarray(2, 5)))
    expect(Buffer.from(await ok(t.getXattr('f', 'user.s'))).toString()).toBe('abc')
    await ok(t.setXattr('f', 'user.s', bytes('z'))) // replaces
    expect(Buffer.from(await ok(t.getXattr('f', 'user.s'))).toString()).toBe('z')
    await ok(t.removeXattr('f', 'user.s'))
    expect(await ok(t.listXattrs('f'))).toEqual(['user.a', 'user.b'])
  })

  it('errors as the simulator gives them: ENODATA, ENOENT, ENOTDIR, EINVAL for bad names, EROFS on a read-only tree', async () => {
    await ok(t.writeFile('f', bytes('x')))
    await failsIo(t.getXattr('f', 'user.none'), 'ENODATA')
    await failsIo(t.removeXattr('f', 'user.none'), 'ENODATA')
    await failsIo(t.getXattr('nope', 'user.a'), 'ENOENT')
    await failsIo(t.listXattrs('nope'), 'ENOENT')
    await failsIo(t.setXattr('nope', 'user.a', bytes('1')), 'ENOENT')
    await failsIo(t.setXattr('nope/f', 'user.a', bytes('1')), 'ENOENT')
    await failsIo(t.getXattr('f/x', 'user.a'), 'ENOTDIR')
    for (const bad of ['bogus', '', 'user.', 'user.a\0b', `user.${'n'.repeat(251)}`, 'other.x']) {
      await failsIo(t.setXattr('f', bad, bytes('1')), 'EINVAL')
      await failsIo(t.getXattr('f', bad), 'EINVAL')
    }
    await failsIo(t.setXattr('f', 'user.big', new Uint8Array(70_000)), 'EINVAL') // over Linux's 64 KiB value limit
    await ok(t.setXattr('f', 'user.k', bytes('v')))
    const ro = hostFileTree(sb.root, { readOnly: true, pin })
    await failsIo(ro.setXattr('f', 'user.k', bytes('w')), 'EROFS')
    await failsIo(ro.removeXattr('f', 'user.k'), 'EROFS')
    await failsIo(ro.setXattr('nope', 'user.k', bytes('w')), 'EROFS') // before anything is looked at
    expect(Buffer.from(await ok(ro.getXattr('f', 'user.k'))).toString()).toBe('v')
    expect(await ok(ro.listXattrs('f'))).toEqual(['user.k'])
  })

  it('xattrs: false keeps every call Unsupported and the file untouched', async () => {
    await ok(t.writeFile('f', bytes('x')))
    const off = hostFileTree(sb.root, { readOnly: false, pin, xattrs: false })
    await failsTag(off.setXattr('f', 'user.a', bytes('1')), 'Unsupported')
    await failsTag(off.listXattrs('f'), 'Unsupported')
    await failsTag(off.getXattr('f', 'user.a'), 'Unsupported')
    await failsTag(off.removeXattr('f', 'user.a'), 'Unsupported')
    expect(hostList(host(sb, 'f'))).toEqual([])
  })

  describe('confinement', () => {
    it('a symlink as the final component is acted on itself, never its target (user.* on it is EPERM)', async () => {
      await ok(t.writeFile('f', bytes('x')))
      await ok(t.setXattr('f', 'user.a', bytes('1')))
      await ok(t.symlink('f', 'l'))
      await failsIo(t.setXattr('l', 'user.x', bytes('1')), 'EPERM')
      await failsIo(t.getXattr('l', 'user.a'), 'ENODATA')
      expect(await ok(t.listXattrs('l'))).toEqual([])
      await failsIo(t.removeXattr('l', 'user.a'), 'EPERM') // Linux: writes of user.* on a symlink are EPERM, reads ENODATA
      expect(hostList(host(sb, 'f'))).toEqual(['user.a'])
      await ok(t.symlink('nowhere', 'dangling'))
      expect(await ok(t.listXattrs('dangling'))).toEqual([])
    })

    it.runIf(isRoot)(
      'trusted.* through a final symlink to the outside lands on the symlink; the outside file keeps none',
      async () => {
        await ok(t.symlink(join(sb.outside, 'secret'), 'l'))
        await ok(t.setXattr('l', 'trusted.t', bytes('mine')))
        expect(await ok(t.listXattrs('l'))).toEqual(['trusted.t'])
        expect(hostList(join(sb.outside, 'secret'))).toEqual([])
        expect(xattrBinding()!.getAttributeSync(join(sb.outside, 'secret'), 'trusted.t')).toBeNull()
      },
    )

    it('symlinks and .. on the way are re-rooted: the outside is never reached', async () => {
      xattrBinding()!.setAttributeSync(join(sb.outside, 'secret'), 'user.host', Buffer.from('h'))
      await ok(t.symlink(sb.outside, 'o'))
      await ok(t.symlink('../outside', 'up'))
      for (const p of ['o/secret', 'up/secret', '../outside/secret']) {
        await failsIo(t.setXattr(p, 'user.a', bytes('1')), 'ENOENT')
        await failsIo(t.getXattr(p, 'user.host'), 'ENOENT')
        await failsIo(t.listXattrs(p), 'ENOENT')
        await failsIo(t.removeXattr(p, 'user.host'), 'ENOENT')
      }
      expect(hostList(join(sb.outside, 'secret'))).toEqual(['user.host'])
    })
  })
})

describe.runIf(refusal === '')('xattrs on a located path when its directory is swapped after the walk', () => {
  beforeEach(() => {
    sb = sandbox()
  })
  afterEach(() => sb.dispose())

  /** Walks to `d/f`, swaps `d` for a symlink to the outside (which has an `f` too), then sets an xattr at the located path. */
  const raceSet = async (pin: boolean): Promise<void> => {
    mkdirSync(join(sb.root, 'd'))
    writeFileSync(join(sb.root, 'd', 'f'), 'in')
    writeFileSync(join(sb.outside, 'f'), 'out')
    const l = await makeResolver(sb.root, { reservedRootNames: [] }, pin).locate('d/f')
    try {
      renameSync(join(sb.root, 'd'), join(sb.root, 'd.old'))
      symlinkSync(sb.outside, join(sb.root, 'd'))
      if (l.kind === 'entry') await xattrOps(xattrBinding()!).set(l.host as string, 'user.raced', bytes('1'))
    } finally {
      await l.release()
    }
  }

  it.runIf(canPin())('pinned: the attribute lands on the file in the directory that was checked', async () => {
    await raceSet(true)
    expect(hostList(join(sb.root, 'd.old', 'f'))).toEqual(['user.raced'])
    expect(hostList(join(sb.outside, 'f'))).toEqual([])
  })

  it('path fallback: the same race reaches the outside (why Linux pins by descriptor)', async () => {
    await raceSet(false)
    expect(hostList(join(sb.outside, 'f'))).toEqual(['user.raced'])
  })

  it.runIf(canPin())(
    'descriptors kept by xattr calls are closed by releaseHostDescriptors, also after failures',
    async () => {
      const t2 = hostFileTree(sb.root, { readOnly: false, pin: true })
      mkdirSync(join(sb.root, 'a'))
      writeFileSync(join(sb.root, 'a', 'f'), 'x')
      const fds = () => readdirSync(`/proc/${process.pid}/fd`).length
      releaseHostDescriptors()
      const before = fds()
      for (const p of ['a/f', 'a/none', 'nope/x', 'a/f/x', '']) {
        await t2.setXattr(p, 'user.a', bytes('1'))()
        await t2.getXattr(p, 'user.a')()
        await t2.getXattr(p, 'user.none')()
        await t2.listXattrs(p)()
        await t2.removeXattr(p, 'user.a')()
      }
      releaseHostDescriptors()
      expect(fds()).toBe(before)
    },
  )
})
