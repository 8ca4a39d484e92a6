// The zfs driver's native properties, space and mounts against recorded argv and outputs
// (texts from OpenZFS 2.3's zfs_main.c share_mount_one/unshare_unmount and `zfs get -H -p`).
import { datasetName, snapshotName } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import { createZfsDriver } from '../src/index.js'
import { runCall } from './call.js'
import { replay, type Recording } from './fake-executor.js'

const A = datasetName('p/a')
const row = (prop: string, value: string, source = '-') => `p/a\t${prop}\t${value}\t${source}\n`
const ok = (argv: string[], stdout = ''): Recording => ({ argv: ['zfs', ...argv], code: 0, stdout, stderr: '' })
const fail = (argv: string[], stderr: string): Recording => ({ argv: ['zfs', ...argv], code: 1, stdout: '', stderr })
const GET = ['get', '-H', '-p', '-o', 'name,property,value,source']
const NATIVE = [...GET, 'mountpoint,canmount,mounted,readonly,quota,refquota', 'p/a']
const nativeRows = (mounted: string, quota = '0') =>
  row('mountpoint', '/p/a', 'default') +
  row('canmount', 'noauto', 'local') +
  row('mounted', mounted) +
  row('readonly', 'on', 'local') +
  row('quota', quota, quota === '0' ? 'default' : 'local') +
  row('refquota', '0', 'default')

const run = async (recs: Recording[], method: string, ...args: unknown[]) => {
  const r = replay(recs)
  const out = await runCall(createZfsDriver({ exec: r.exec }), { method: method as never, args })
  expect(r.unused()).toEqual([])
  return out
}

describe('zfs driver: native properties', () => {
  it('getNative reads one zfs get; a quota of 0 is none', async () => {
    expect(await run([ok(NATIVE, nativeRows('no', '1048576'))], 'getNative', A)).toEqual({
      right: { mountpoint: '/p/a', canmount: 'noauto', mounted: false, readonly: true, quota: 1048576, refquota: null },
    })
  })

  it('a value the type has no room for is an Io error showing it', async () => {
    const out = await run([ok(NATIVE, nativeRows('maybe'))], 'getNative', A)
    expect(out).toMatchObject({ _tag: 'Io', code: 'EIO', path: 'p/a' })
  })

  it('setNative is one zfs set of every value given; none for a null quota', async () => {
    expect(
      await run([ok(['set', 'readonly=on', 'quota=none', 'p/a'])], 'setNative', A, { readonly: true, quota: null }),
    ).toEqual({ right: null })
  })

  it('create and clone pass native values as -o', async () => {
    expect(
      await run([ok(['create', '-o', 'canmount=noauto', '-o', 'refquota=4096', 'p/a'])], 'create', A, {
        native: { canmount: 'noauto', refquota: 4096 },
      }),
    ).toEqual({ right: null })
    expect(
      await run(
        [ok(['clone', '-o', 'refquota=8192', 'p/a@s', 'p/c'])],
        'clone',
        snapshotName('p/a@s'),
        datasetName('p/c'),
        { native: { refquota: 8192 } },
      ),
    ).toEqual({ right: null })
  })

  it('space syncs the pool, then reads used, referenced, written and available', async () => {
    const rows = row('used', '24576') + row('referenced', '12288') + row('written', '0') + row('available', '999')
    const r = replay([
      { argv: ['zpool', 'sync', 'p'], code: 0, stdout: '', stderr: '' },
      ok([...GET, 'used,referenced,written,available', 'p/a'], rows),
    ])
    expect(await runCall(createZfsDriver({ exec: r.exec }), { method: 'space', args: [A] })).toEqual({
      right: { used: 24576, referenced: 12288, written: 0, available: 999 },
    })
    expect(r.calls.map((c) => c[0])).toEqual(['zpool', 'zfs'])
  })

  it('spaceTree syncs once, then reads every filesystem under the root in one zfs get -r', async () => {
    const of = (n: string, used: number) =>
      [`used\t${used}`, 'referenced\t100', 'written\t0', 'available\t9'].map((p) => `${n}\t${p}\t-\n`).join('')
    const argv = ['get', '-H', '-p', '-r', '-t', 'filesystem', '-o', 'name,property,value,source']
    const r = replay([
      { argv: ['zpool', 'sync', 'p'], code: 0, stdout: '', stderr: '' },
      ok([...argv, 'used,referenced,written,available', 'p/a'], of('p/a', 300) + of('p/a/b', 200)),
    ])
    const out = await runCall(createZfsDriver({ exec: r.exec }), { method: 'spaceTree', args: [A] })
    const space = (used: number) => ({ used, referenced: 100, written: 0, available: 9 })
    expect(out).toEqual({
      right: new Map([
        [A, space(300)],
        [datasetName('p/a/b'), space(200)],
      ]),
    })
    // output without the root's rows is zfs's output going wrong, not an empty tree
    const bad = replay([
      { argv: ['zpool', 'sync', 'p'], code: 0, stdout: '', stderr: '' },
      ok([...argv, 'used,referenced,written,available', 'p/a'], of('p/a/b', 200)),
    ])
    expect(await runCall(createZfsDriver({ exec: bad.exec }), { method: 'spaceTree', args: [A] })).toMatchObject({
      _tag: 'Io',
      path: 'p/a',
    })
  })
})

describe('zfs driver: mounts', () => {
  it('mount of a mounted filesystem and unmount of an unmounted one succeed', async () => {
    expect(await run([fail(['mount', 'p/a'], "cannot mount 'p/a': filesystem already mounted\n")], 'mount', A)).toEqual(
      { right: null },
    )
    expect(
      await run([fail(['unmount', 'p/a'], "cannot unmount 'p/a': not currently mounted\n")], 'unmount', A),
    ).toEqual({ right: null })
  })

  it('canmount=off, mountpoint none or legacy: Unsupported naming the dataset and the reason', async () => {
    expect(
      await run([fail(['mount', 'p/a'], "cannot mount 'p/a': 'canmount' property is set to 'off'\n")], 'mount', A),
    ).toEqual({
      _tag: 'Unsupported',
      what: "mount of 'p/a': 'canmount' property is set to 'off'",
    })
    expect(await run([fail(['mount', 'p/a'], "cannot mount 'p/a': no mountpoint set\n")], 'mount', A)).toMatchObject({
      _tag: 'Unsupported',
    })
    const legacy = "cannot unmount 'p/a': legacy mountpoint\nuse umount(8) to unmount this filesystem\n"
    expect(await run([fail(['unmount', 'p/a'], legacy)], 'unmount', A)).toMatchObject({ _tag: 'Unsupported' })
  })

  it('a missing filesystem: DatasetNotFound', async () => {
    expect(await run([fail(['mount', 'p/a'], "cannot open 'p/a': dataset does not exist\n")], 'mount', A)).toEqual({
      _tag: 'DatasetNotFound',
      name: 'p/a',
    })
  })

  it('hostPath is the mountpoint when mounted, Io when not', async () => {
    expect(await run([ok(NATIVE, nativeRows('yes'))], 'hostPath', A)).toEqual({ right: '/p/a' })
    expect(await run([ok(NATIVE, nativeRows('no'))], 'hostPath', A)).toMatchObject({
      _tag: 'Io',
      code: 'EIO',
      path: 'p/a',
    })
  })
})
