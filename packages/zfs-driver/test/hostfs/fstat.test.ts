// The check of what an open reached: the binding's statx of a descriptor tells what Node's fstat tells.
import { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { libcCalls, pathCalls } from '../../src/hostfs/host-calls.js'
import { libc } from '../../src/hostfs/libc.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stratum-fstat-'))
  writeFileSync(join(dir, 'f'), 'twelve bytes')
  mkdirSync(join(dir, 'd'))
  symlinkSync('f', join(dir, 'l'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

it.runIf(libc() !== undefined)(
  'a file, a directory and a symlink opened O_PATH: the same Stat and inode both ways',
  () => {
    const native = libcCalls(libc()!)
    for (const [name, flags] of [
      ['f', 0],
      ['d', 0],
      ['l', 0o10000000 | 0o400000], // O_PATH|O_NOFOLLOW: the symlink itself
    ] as const) {
      const fd = openSync(join(dir, name), flags)
      try {
        const got = native.fstat(fd)
        expect(got).toEqual(pathCalls.fstat(fd))
        expect(got.stat.type).toBe({ f: 'F', d: '/', l: '@' }[name])
        if (name === 'f') expect(got.stat.size).toBe(12)
      } finally {
        closeSync(fd)
      }
    }
  },
)

it.runIf(libc() !== undefined)('a closed descriptor is EBADF, as Node reports it', () => {
  const fd = openSync(join(dir, 'f'), 'r')
  closeSync(fd)
  expect(() => libcCalls(libc()!).fstat(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }))
  expect(() => pathCalls.fstat(fd)).toThrow(expect.objectContaining({ code: 'EBADF' }))
})
