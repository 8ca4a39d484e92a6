// The one rule for host paths a command writes: symlinks followed, regular files and new names
// replaced atomically, FIFOs and devices written into (never replaced), `-` is stdout, /proc loops gone.
import { execFileSync } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { lstat, mkdir, readFile, readlink, symlink, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { layerBlob, sha256, writeImageLayout } from '@stratum/core'
import { captureIo } from '../src/io.js'
import { main } from '../src/main.js'
import { buildTar } from '../src/demo/tar.js'
import { cliAt, tempDir } from './helpers.js'

const TREE = [
  { path: 'etc', type: 'dir' as const },
  { path: 'etc/motd', body: 'hello\n' },
]
const isRoot = process.getuid?.() === 0

/** A store in `dir` with one layer; its chainID. */
const layer = async (dir: string): Promise<string> => {
  await writeFile(join(dir, 'l.tar'), buildTar(TREE))
  const r = await cliAt(dir)('extract-layer', 'empty', join(dir, 'l.tar'))
  expect(r.code).toBe(0)
  return r.stdout.trim()
}

const collect = async (path: string): Promise<Buffer> => {
  const chunks: Buffer[] = []
  for await (const c of createReadStream(path)) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

describe('package -o: the output rule', () => {
  it('a FIFO is written into and stays a FIFO', async () => {
    const dir = await tempDir()
    const chain = await layer(dir)
    const fifo = join(dir, 'pipe')
    execFileSync('mkfifo', [fifo])
    const [r, got] = await Promise.all([cliAt(dir)('package', chain, '-o', fifo), collect(fifo)])
    expect(r.code).toBe(0)
    expect(sha256(got)).toBe(r.stdout.trim())
    expect((await lstat(fifo)).isFIFO()).toBe(true)
  })

  it.runIf(isRoot)('a character device (a null device made here) is written into, never replaced', async () => {
    const dir = await tempDir()
    const chain = await layer(dir)
    const dev = join(dir, 'null')
    execFileSync('mknod', ['-m', '666', dev, 'c', '1', '3'])
    expect((await cliAt(dir)('package', chain, '-o', dev)).code).toBe(0)
    const st = await lstat(dev)
    expect([st.isCharacterDevice(), st.rdev]).toEqual([true, (1 << 8) | 3])
  })

  it.runIf(isRoot)(
    'disk full keeps its code: Io ENOSPC saying the disk is full (a full device made here)',
    async () => {
      const dir = await tempDir()
      const chain = await layer(dir)
      const dev = join(dir, 'full')
      execFileSync('mknod', ['-m', '666', dev, 'c', '1', '7'])
      const r = await cliAt(dir)('package', chain, '-o', dev)
      expect(r).toMatchObject({
        code: 1,
        stderr: expect.stringMatching(new RegExp(`^stratum: Io: ENOSPC '${dev}': the disk is full: `)),
      })
      expect((await lstat(dev)).isCharacterDevice()).toBe(true)
    },
  )

  it('a symlink is followed: its target gets the tar, the link stays (also when dangling)', async () => {
    const dir = await tempDir()
    const chain = await layer(dir)
    await writeFile(join(dir, 'old.tar'), 'old')
    await symlink('old.tar', join(dir, 'link'))
    const diffId = (await cliAt(dir)('package', chain, '-o', join(dir, 'link'))).stdout.trim()
    expect(await readlink(join(dir, 'link'))).toBe('old.tar')
    expect(sha256(await readFile(join(dir, 'old.tar')))).toBe(diffId)
    await symlink('sub/new.tar', join(dir, 'dangling'))
    await mkdir(join(dir, 'sub'))
    expect((await cliAt(dir)('package', chain, '-o', join(dir, 'dangling'))).code).toBe(0)
    expect((await lstat(join(dir, 'dangling'))).isSymbolicLink()).toBe(true)
    expect(sha256(await readFile(join(dir, 'sub', 'new.tar')))).toBe(diffId)
  })

  it('-o - writes the tar to stdout and the report to stderr', async () => {
    const dir = await tempDir()
    const chain = await layer(dir)
    const io = captureIo({ cwd: dir })
    expect(await main(['--state', join(dir, 'state'), 'package', chain, '-o', '-'], io)).toBe(0)
    expect(io.out()).toBe('')
    expect(io.err()).toMatch(/^sha256:[0-9a-f]{64}\n$/)
    expect(sha256(io.outBytes())).toBe(io.err().trim())
  })

  it('a directory is EISDIR naming the path', async () => {
    const dir = await tempDir()
    const chain = await layer(dir)
    await mkdir(join(dir, 'd'))
    expect(await cliAt(dir)('package', chain, '-o', join(dir, 'd'))).toMatchObject({
      code: 1,
      stderr: `stratum: Io: EISDIR '${join(dir, 'd')}': is a directory\n`,
    })
  })
})

describe("paths under /proc/self (where Node's recursive mkdir loops forever)", () => {
  it('export to /proc/self/<missing>/x is an error naming the path, at once', async () => {
    const dir = await tempDir()
    const chain = await layer(dir)
    const r = await cliAt(dir)('export', chain, '/proc/self/stratum-nope/rootfs')
    expect(r.code).toBe(1)
    expect(r.stderr).toMatch(/^stratum: Io: E[A-Z]+ '\/proc\/self\/stratum-nope': /)
  }, 10_000)

  it('writeImageLayout to /proc/self/<missing> is an Io error naming it', async () => {
    const w = await writeImageLayout('/proc/self/stratum-nope/layout', 'a', [])()
    expect(w).toMatchObject({ _tag: 'Left', left: { _tag: 'Io', path: '/proc/self/stratum-nope' } })
  }, 10_000)
})

describe('image layouts the library writes', () => {
  it('a blob planted as a symlink is replaced, never written through; a symlinked index.json is refused', async () => {
    const dir = await tempDir()
    await writeFile(join(dir, 'victim'), 'keep')
    const blob = layerBlob(buildTar(TREE))
    const planted = join(dir, 'img', 'blobs', 'sha256', sha256(blob.blob).slice(7))
    await mkdir(join(dir, 'img', 'blobs', 'sha256'), { recursive: true })
    await symlink(join(dir, 'victim'), planted)
    expect(E.isRight(await writeImageLayout(join(dir, 'img'), 'a', [blob])())).toBe(true)
    expect(await readFile(join(dir, 'victim'), 'utf8')).toBe('keep')
    expect(sha256(await readFile(planted))).toBe(sha256(blob.blob))
    expect((await lstat(planted)).isFile()).toBe(true)
    const index = join(dir, 'img', 'index.json')
    await unlink(index)
    await symlink(join(dir, 'victim'), index)
    expect(await writeImageLayout(join(dir, 'img'), 'b', [])()).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Io', code: 'ELOOP', path: index },
    })
    expect(await readFile(join(dir, 'victim'), 'utf8')).toBe('keep')
  })
})
