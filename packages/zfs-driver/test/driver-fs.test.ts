// driver.fs(name): a hostFileTree over the dataset's mountpoint (read-write) or <mountpoint>/.zfs/snapshot/<s> (read-only).
import { mkdirSync, readFileSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { datasetName, snapshotName } from '@stratum/core'
import { createZfsDriver } from '../src/index.js'
import { replay } from './fake-executor.js'
import { bytes, failsIo, ok, readAll, sandbox, type Sandbox } from './hostfs/helpers.js'

const MNT = ['zfs', 'get', '-H', '-p', '-o', 'name,property,value,source', 'mountpoint,mounted']
const rows = (name: string, mountpoint: string, mounted: string) =>
  `${name}\tmountpoint\t${mountpoint}\tlocal\n${name}\tmounted\t${mounted}\t-\n`

let sb: Sandbox
beforeEach(() => {
  sb = sandbox()
})
afterEach(() => sb.dispose())

describe('fs', () => {
  it("a dataset's tree is its mountpoint, read-write; '.zfs' at its root is refused", async () => {
    const fake = replay([{ argv: [...MNT, 'p/a'], code: 0, stdout: rows('p/a', sb.root, 'yes'), stderr: '' }])
    const t = await ok(createZfsDriver({ exec: fake.exec }).fs(datasetName('p/a')))
    expect(t.readOnly).toBe(false)
    await ok(t.writeFile('f', bytes('x')))
    expect(readFileSync(join(sb.root, 'f'), 'utf8')).toBe('x')
    await failsIo(t.mkdir('.zfs'), 'EPERM')
  })

  it("a snapshot's tree is <mountpoint>/.zfs/snapshot/<s>, read-only", async () => {
    mkdirSync(join(sb.root, '.zfs', 'snapshot', 's'), { recursive: true })
    writeFileSync(join(sb.root, '.zfs', 'snapshot', 's', 'f'), 'old')
    const stdout = `${rows('p/a', sb.root, 'yes')}p/a@s\tmountpoint\t-\t-\np/a@s\tmounted\t-\t-\n`
    const fake = replay([{ argv: [...MNT, 'p/a', 'p/a@s'], code: 0, stdout, stderr: '' }])
    const t = await ok(createZfsDriver({ exec: fake.exec }).fs(snapshotName('p/a@s')))
    expect(t.readOnly).toBe(true)
    expect(await readAll(await ok(t.read('f')))).toBe('old')
    await failsIo(t.writeFile('g', bytes('x')), 'EROFS')
  })

  // an open descriptor of a directory in a dataset would make zfs refuse to unmount it (destroy, rename)
  it("a zfs command runs with none of the tree's kept directories open", async () => {
    const openUnderRoot = (): number =>
      readdirSync(`/proc/${process.pid}/fd`).filter((fd) => {
        try {
          return readlinkSync(`/proc/${process.pid}/fd/${fd}`).startsWith(sb.root)
        } catch {
          return false
        }
      }).length
    const seen: number[] = []
    const fake = replay([
      { argv: [...MNT, 'p/a'], code: 0, stdout: rows('p/a', sb.root, 'yes'), stderr: '' },
      { argv: ['zfs', 'destroy', 'p/a'], code: 0, stdout: '', stderr: '' },
    ])
    const d = createZfsDriver({
      exec: async (argv) => {
        seen.push(openUnderRoot())
        return fake.exec(argv)
      },
    })
    const t = await ok(d.fs(datasetName('p/a')))
    await ok(t.mkdir('x'))
    await ok(t.mkdir('x/y'))
    await ok(t.writeFile('x/y/f', bytes('1')))
    expect(openUnderRoot()).toBeGreaterThan(0)
    await ok(d.destroy(datasetName('p/a')))
    expect(seen).toEqual([0, 0])
  })

  it('a missing snapshot is DatasetNotFound', async () => {
    const fake = replay([
      { argv: [...MNT, 'p/a', 'p/a@x'], code: 1, stdout: '', stderr: "cannot open 'p/a@x': dataset does not exist\n" },
    ])
    const r = await createZfsDriver({ exec: fake.exec }).fs(snapshotName('p/a@x'))()
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'DatasetNotFound', name: 'p/a@x' } })
  })

  it('an unmounted dataset is Io; a legacy or none mountpoint is Unsupported', async () => {
    const d1 = createZfsDriver({
      exec: replay([{ argv: [...MNT, 'p/a'], code: 0, stdout: rows('p/a', '/p/a', 'no'), stderr: '' }]).exec,
    })
    expect(await d1.fs(datasetName('p/a'))()).toMatchObject({ _tag: 'Left', left: { _tag: 'Io', path: 'p/a' } })
    const d2 = createZfsDriver({
      exec: replay([{ argv: [...MNT, 'p/a'], code: 0, stdout: rows('p/a', 'legacy', 'no'), stderr: '' }]).exec,
    })
    expect(await d2.fs(datasetName('p/a'))()).toMatchObject({ _tag: 'Left', left: { _tag: 'Unsupported' } })
  })

  it('zfs get output without a mountpoint row is Io', async () => {
    const d = createZfsDriver({ exec: replay([{ argv: [...MNT, 'p/a'], code: 0, stdout: '', stderr: '' }]).exec })
    expect(await d.fs(datasetName('p/a'))()).toMatchObject({ _tag: 'Left', left: { _tag: 'Io' } })
  })
})
