// A directory's names through the binding (getdents64 on the directory opened from its pinned parent) are Node's readdir's, and a symlink in its place is not followed.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { type At, libcCalls, pathCalls } from '../../src/hostfs/host-calls.js'
import { libc } from '../../src/hostfs/libc.js'

const O_PATH_DIR = 0o10000000 | 0o200000
let dir: string
let fd: number
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-readdir-'))
  fd = openSync(dir, O_PATH_DIR)
})
afterEach(() => {
  closeSync(fd)
  rmSync(dir, { recursive: true, force: true })
})
const at = (name: string): At => ({
  fd,
  dir: `/proc/${process.pid}/fd/${fd}`,
  name,
  host: `/proc/${process.pid}/fd/${fd}/${name}`,
})
const sorted = (names: Buffer[]): string[] => names.sort(Buffer.compare).map((b) => b.toString('latin1'))

it.runIf(libc() !== undefined)(
  'thousands of names (several getdents64 calls), odd bytes, an empty directory: as Node lists them',
  () => {
    mkdirSync(join(dir, 'big'))
    for (let i = 0; i < 3000; i++) writeFileSync(join(dir, 'big', `name-${'x'.repeat(i % 50)}-${i}`), '')
    writeFileSync(Buffer.from(`${dir}/big/caf\xe9.`, 'latin1'), '')
    writeFileSync(join(dir, 'big', '...'), '')
    mkdirSync(join(dir, 'empty'))
    const native = libcCalls(libc()!)
    for (const name of ['big', 'empty']) {
      const got = sorted(native.readdir(at(name)))
      expect(got).toEqual(sorted(pathCalls.readdir(at(name))))
      expect(got).not.toContain('.')
      expect(got).not.toContain('..')
    }
    expect(native.readdir(at('big'))).toHaveLength(3002)
    expect(native.readdir(at('.'))).toHaveLength(2)
  },
)

it.runIf(libc() !== undefined)(
  'a symlink to a directory at the name is not followed, a file not listed: both ENOTDIR',
  () => {
    mkdirSync(join(dir, 'real'))
    writeFileSync(join(dir, 'real', 'secret'), '')
    symlinkSync('real', join(dir, 'link'))
    writeFileSync(join(dir, 'file'), '')
    const native = libcCalls(libc()!)
    expect(() => native.readdir(at('link'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }))
    expect(() => native.readdir(at('file'))).toThrow(expect.objectContaining({ code: 'ENOTDIR' }))
  },
)
