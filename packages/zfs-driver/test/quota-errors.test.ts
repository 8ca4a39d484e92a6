// EDQUOT from the host tree becomes QuotaExceeded naming the dataset whose limit the write met.
import * as TE from 'fp-ts/lib/TaskEither.js'
import { datasetName, err, type DatasetName, type FileTree, type NativeProperties } from '@stratum/core'
import { describe, expect, it } from 'vitest'
import { withQuotaErrors } from '../src/quota-errors.js'

const NATIVE: NativeProperties = {
  mountpoint: '/x',
  canmount: 'on',
  mounted: true,
  readonly: false,
  quota: null,
  refquota: null,
}

const failing = (code: string): FileTree =>
  ({
    readOnly: false,
    writeFile: (path: string) => TE.left(err('Io', { code: 'ENOSPC', path, message: code, cause: { code } })),
  }) as unknown as FileTree

const natives = (m: Record<string, Partial<NativeProperties>>) => (n: DatasetName) =>
  TE.right<never, NativeProperties>({ ...NATIVE, ...m[n] })

describe('withQuotaErrors', () => {
  it("names the dataset's own refquota", async () => {
    const t = withQuotaErrors(failing('EDQUOT'), datasetName('p/a/b'), natives({ 'p/a/b': { refquota: 9, quota: 20 } }))
    expect(await t.writeFile('f', new Uint8Array(1))()).toEqual({
      _tag: 'Left',
      left: { _tag: 'QuotaExceeded', name: 'p/a/b', property: 'refquota', limit: 9, path: 'f' },
    })
  })

  it("names the nearest quota along the ancestors, never an ancestor's refquota", async () => {
    const t = withQuotaErrors(
      failing('EDQUOT'),
      datasetName('p/a/b'),
      natives({ 'p/a': { refquota: 5 }, p: { quota: 7 } }),
    )
    expect(await t.writeFile('f', new Uint8Array(1))()).toMatchObject({
      left: { _tag: 'QuotaExceeded', name: 'p', property: 'quota', limit: 7 },
    })
  })

  it("reads Node's form of EDQUOT on a real pool: code UNKNOWN with errno -EDQUOT (libuv has no name for it)", async () => {
    const tree = {
      readOnly: false,
      writeFile: (path: string) =>
        TE.left(err('Io', { code: 'EIO', path, message: 'UNKNOWN', cause: { code: 'UNKNOWN', errno: -122 } })),
    } as unknown as FileTree
    const t = withQuotaErrors(tree, datasetName('p/a'), natives({ 'p/a': { refquota: 5 } }))
    expect(await t.writeFile('f', new Uint8Array(1))()).toMatchObject({
      left: { _tag: 'QuotaExceeded', name: 'p/a', property: 'refquota', limit: 5 },
    })
  })

  it('keeps other failures, and EDQUOT with no quota set, as they were', async () => {
    const t = withQuotaErrors(failing('ENOSPC'), datasetName('p/a'), natives({ 'p/a': { refquota: 5 } }))
    expect(await t.writeFile('f', new Uint8Array(1))()).toMatchObject({ left: { _tag: 'Io', code: 'ENOSPC' } })
    const u = withQuotaErrors(failing('EDQUOT'), datasetName('p/a'), natives({}))
    expect(await u.writeFile('f', new Uint8Array(1))()).toMatchObject({ left: { _tag: 'Io', message: 'EDQUOT' } })
  })
})
