// Names are bytes from tar to tree to tar: names that differ only in non-UTF-8 bytes stay distinct, byte for byte.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { ioError, nameFromBytes, nameToBytes, packageLayer, snapshotName, type FileTree } from '@stratum/core'
import { applyBytes, END, entry, gnuLong, pax, simTree } from './raw-tar.js'

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1')
const E9 = nameFromBytes(latin1('caf\xe9'))
const E8 = nameFromBytes(latin1('caf\xe8'))

const readAll = async (it: AsyncIterable<Uint8Array>): Promise<Buffer> => {
  const parts: Uint8Array[] = []
  for await (const c of it) parts.push(c)
  return Buffer.concat(parts)
}
const ls = async (t: FileTree, p = ''): Promise<readonly string[]> => {
  const r = await t.readdir(p)()
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return r.right
}
const content = async (t: FileTree, p: string): Promise<string> => {
  const r = await t.read(p)()
  if (E.isLeft(r)) throw new Error(JSON.stringify(r.left))
  return (await readAll(r.right)).toString()
}

describe('non-UTF-8 names', () => {
  it.each([
    [
      'ustar names',
      Buffer.concat([
        entry({ name: latin1('caf\xe9') }, Buffer.from('1')),
        entry({ name: latin1('caf\xe8') }, Buffer.from('2')),
      ]),
    ],
    [
      'PAX paths (raw bytes, as GNU tar writes them)',
      Buffer.concat([
        pax('x', [['path', latin1('caf\xe9')]]),
        entry({ name: 'x' }, Buffer.from('1')),
        pax('x', [['path', latin1('caf\xe8')]]),
        entry({ name: 'x' }, Buffer.from('2')),
      ]),
    ],
    [
      'GNU long names',
      Buffer.concat([
        gnuLong('L', latin1('caf\xe9')),
        entry({ name: 'x' }, Buffer.from('1')),
        gnuLong('L', latin1('caf\xe8')),
        entry({ name: 'x' }, Buffer.from('2')),
      ]),
    ],
  ])('caf\\xe9 and caf\\xe8 in %s stay two files through apply, package, apply', async (_how, tar) => {
    const { driver, tree } = await simTree()
    await driver.snapshot(snapshotName('testpool/t@empty'))()
    const r = await applyBytes(
      tree,
      Buffer.concat([tar, pax('x', [['linkpath', latin1('caf\xe9')]]), entry({ name: 'ln', type: '2' }), END]),
    )
    expect(E.isRight(r as E.Either<unknown, unknown>)).toBe(true)
    expect(await ls(tree)).toEqual([E8, E9, 'ln'])
    expect([await content(tree, E9), await content(tree, E8)]).toEqual(['1', '2'])

    await driver.snapshot(snapshotName('testpool/t@s'))()
    const packaged = await packageLayer(driver, snapshotName('testpool/t@empty'), snapshotName('testpool/t@s'))()
    if (E.isLeft(packaged)) throw new Error(JSON.stringify(packaged.left))
    const bytes = await readAll(packaged.right)
    expect(bytes.includes(latin1('caf\xe9'))).toBe(true)
    expect(bytes.includes(latin1('caf\xe8'))).toBe(true)

    const again = await simTree()
    expect(E.isRight((await applyBytes(again.tree, bytes)) as E.Either<unknown, unknown>)).toBe(true)
    expect(await ls(again.tree)).toEqual([E8, E9, 'ln'])
    expect([await content(again.tree, E9), await content(again.tree, E8)]).toEqual(['1', '2'])
    const link = await again.tree.readlink('ln')()
    expect(E.isRight(link) && nameToBytes(link.right)).toEqual(latin1('caf\xe9'))
  })

  it('a tree that cannot represent a name fails the apply with a typed error naming the entry', async () => {
    const { tree } = await simTree()
    // a tree whose names must be UTF-8 (as a host file system may require)
    const utf8Only: FileTree = {
      ...tree,
      writeFile: (p, c, o) =>
        /[\udc80-\udcff]/.test(p)
          ? async () => E.left(ioError('EINVAL', p, 'name is not UTF-8'))
          : tree.writeFile(p, c, o),
    }
    const r = await applyBytes(
      utf8Only,
      Buffer.concat([entry({ name: 'ok' }), entry({ name: latin1('d/caf\xe9') }, Buffer.from('1')), END]),
    )
    expect(r).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'Io', code: 'EINVAL', path: nameFromBytes(latin1('d/caf\xe9')) },
    })
  })

  it('name limits count bytes: a component of 255 escaped bytes is accepted, 256 is LimitExceeded', async () => {
    const { tree } = await simTree()
    expect(
      E.isRight(
        (await applyBytes(
          tree,
          Buffer.concat([pax('x', [['path', Buffer.alloc(255, 0xe9)]]), entry({ name: 'x' }), END]),
        )) as E.Either<unknown, unknown>,
      ),
    ).toBe(true)
    const r = await applyBytes(
      tree,
      Buffer.concat([pax('x', [['path', Buffer.alloc(256, 0xe9)]]), entry({ name: 'x' }), END]),
    )
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'LimitExceeded', what: 'name component bytes' } })
  })
})
