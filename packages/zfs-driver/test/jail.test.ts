// FreeBSD jail delegation against the fake executor (argv of OpenZFS's do_jail, texts of libzfs zfs_jail); never run on FreeBSD.
import { datasetName } from '@stratum/core'
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { createZfsJails, parseJailRef } from '../src/index.js'
import { replay, type Recording } from './fake-executor.js'

const C = datasetName('p/runtime/web')
const rec = (argv: string[], code = 0, stderr = '', stdout = ''): Recording => ({
  argv: ['zfs', ...argv],
  code,
  stdout,
  stderr,
})
const jails = (recs: Recording[], platform = 'freebsd') => {
  const r = replay(recs)
  return { r, j: createZfsJails({ exec: r.exec, platform }) }
}

describe('zfs jails', () => {
  it('delegate sets jailed=on, then attaches the dataset to the jail by jid or name', async () => {
    for (const jail of ['12', 'web.build']) {
      const { r, j } = jails([rec(['set', 'jailed=on', C]), rec(['jail', jail, C])])
      expect(await j.delegate(C, jail)()).toEqual(E.right(undefined))
      expect(r.calls).toEqual([
        ['zfs', 'set', 'jailed=on', C],
        ['zfs', 'jail', jail, C],
      ])
    }
  })

  it('delegating again and undelegating a dataset not attached succeed (the kernel EEXIST / ENOENT)', async () => {
    const { r, j } = jails([
      rec(['set', 'jailed=on', C]),
      rec(['jail', '12', C], 1, `cannot jail '${C}': dataset already exists\n`),
      rec(['unjail', '12', C], 1, `cannot unjail '${C}': dataset does not exist\n`),
    ])
    expect(await j.delegate(C, '12')()).toEqual(E.right(undefined))
    expect(await j.undelegate(C, '12')()).toEqual(E.right(undefined))
    expect(r.unused()).toEqual([])
  })

  it('a missing dataset, an unknown jail and a refused privilege are typed errors naming them', async () => {
    const { j } = jails([
      rec(['unjail', '12', C], 1, `cannot open '${C}': dataset does not exist\n`),
      rec(['unjail', 'gone', C], 2, 'invalid jail id or name\nusage:\n\tunjail <jailid|jailname> <filesystem>\n'),
      rec(['unjail', '13', C], 1, `cannot unjail '${C}': permission denied\n`),
    ])
    expect(await j.undelegate(C, '12')()).toEqual(E.left(expect.objectContaining({ _tag: 'DatasetNotFound', name: C })))
    expect(await j.undelegate(C, 'gone')()).toEqual(
      E.left(expect.objectContaining({ _tag: 'InvalidName', name: 'gone' })),
    )
    expect(await j.undelegate(C, '13')()).toEqual(
      E.left(expect.objectContaining({ _tag: 'PermissionDenied', name: C })),
    )
  })

  it('jailed reads the property', async () => {
    const get = ['get', '-H', '-p', '-o', 'name,property,value,source', 'jailed', C]
    const { j } = jails([rec(get, 0, '', `${C}\tjailed\ton\tlocal\n`)])
    expect(await j.jailed(C)()).toEqual(E.right(true))
  })

  it('a bad jail argument is InvalidName before any zfs command', async () => {
    const { r, j } = jails([])
    for (const bad of ['-f', '', '007', '0', 'a..b', 'x.', 'a b', '99999999999'])
      expect(await j.delegate(C, bad)(), bad).toEqual(
        E.left(expect.objectContaining({ _tag: 'InvalidName', name: bad })),
      )
    expect(r.calls).toEqual([])
    expect(E.isRight(parseJailRef('1'))).toBe(true)
  })

  it('off FreeBSD every call is Unsupported and runs nothing', async () => {
    const { r, j } = jails([], 'linux')
    expect(j.supported).toBe(false)
    for (const te of [j.delegate(C, '1'), j.undelegate(C, '1'), j.jailed(C)])
      expect(await te()).toEqual(E.left(expect.objectContaining({ _tag: 'Unsupported' })))
    expect(r.calls).toEqual([])
  })
})
