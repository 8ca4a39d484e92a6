// The mount table tells where a filesystem is mounted, so fs() and diff run no zfs get for it.
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, expect, it } from 'vitest'
import { datasetName, snapshotName } from '@stratum/core'
import { createZfsDriver, mountpointIn } from '../src/index.js'
import { replay } from './fake-executor.js'
import { ok, sandbox, type Sandbox } from './hostfs/helpers.js'

const TABLE = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw',
  '40 22 0:45 / /srv/p\\040a rw shared:20 - zfs p/a\\040b rw,xattr,posixacl',
  '41 22 0:45 /sub /mnt/bind rw shared:20 - zfs p/c rw',
  '42 22 0:46 / /srv/c rw master:3 shared:21 - zfs p/c rw',
  '43 22 0:47 / /srv/other rw - nfs p/d rw',
].join('\n')

it('finds the root mount of a zfs source, unescaping both fields; skips bind mounts of subdirectories and other types', () => {
  expect(mountpointIn(TABLE, 'p/a b')).toBe('/srv/p a')
  expect(mountpointIn(TABLE, 'p/c')).toBe('/srv/c')
  expect(mountpointIn(TABLE, 'p/d')).toBeUndefined()
  expect(mountpointIn(TABLE, 'p')).toBeUndefined()
})

let sb: Sandbox
beforeEach(() => {
  sb = sandbox()
})
afterEach(() => sb.dispose())

it('fs() of a filesystem or snapshot the table shows runs no zfs; one it does not show asks zfs get', async () => {
  mkdirSync(join(sb.root, '.zfs', 'snapshot', 's'), { recursive: true })
  const table = `40 22 0:45 / ${sb.root} rw - zfs p/a rw\n`
  const fake = replay([
    {
      argv: ['zfs', 'get', '-H', '-p', '-o', 'name,property,value,source', 'mountpoint,mounted', 'p/b'],
      code: 0,
      stdout: `p/b\tmountpoint\t${sb.root}\tlocal\np/b\tmounted\tyes\t-\n`,
      stderr: '',
    },
  ])
  const d = createZfsDriver({ exec: fake.exec, mountTable: async () => table })
  await ok(d.fs(datasetName('p/a')))
  await ok(d.fs(snapshotName('p/a@s')))
  expect(fake.calls).toEqual([])
  await ok(d.fs(datasetName('p/b')))
  expect(fake.calls).toHaveLength(1)
})
