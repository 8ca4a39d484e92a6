// The applier resolves each directory once per layer: a directory replaced later in the same layer is resolved anew.
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { applyBytes, END, entry, simTree } from './raw-tar.js'

const kinds = async (tree: Awaited<ReturnType<typeof simTree>>['tree'], paths: string[]) =>
  Promise.all(paths.map(async (p) => [p, E.getOrElseW(() => undefined)(await tree.lstat(p)())?.type]))

describe('directories resolved earlier in the layer', () => {
  it('a directory replaced by a symlink: later entries under its name go through the symlink', async () => {
    const { tree } = await simTree()
    const tar = Buffer.concat([
      entry({ name: 'a/b/', type: '5' }),
      entry({ name: 'a/b/x' }, Buffer.from('x')),
      entry({ name: 'c/', type: '5' }),
      entry({ name: 'a', type: '2', linkname: 'c' }),
      entry({ name: 'a/b/y' }, Buffer.from('y')),
      END,
    ])
    expect(E.isRight((await applyBytes(tree, tar)) as E.Either<unknown, unknown>)).toBe(true)
    expect(await kinds(tree, ['a', 'c/b', 'c/b/y', 'a/b/x'])).toEqual([
      ['a', '@'],
      ['c/b', '/'],
      ['c/b/y', 'F'],
      ['a/b/x', undefined],
    ])
  })

  // each: the entries, then the one refused and why
  it.each([
    {
      what: 'a directory replaced by a file refuses later entries under its name',
      tar: [
        entry({ name: 'a/', type: '5' }),
        entry({ name: 'a/x' }, Buffer.from('x')),
        entry({ name: 'a' }, Buffer.from('file')),
        entry({ name: 'a/y' }, Buffer.from('y')),
      ],
      refused: ['a/y', "parent 'a' is not a directory"],
    },
    {
      what: 'a whiteout under a directory the layer made through a symlink is still refused (W5)',
      tar: [
        entry({ name: 'd/', type: '5' }),
        entry({ name: 'l', type: '2', linkname: 'd' }),
        entry({ name: 'l/x/f' }, Buffer.from('f')),
        entry({ name: 'l/x/.wh.f' }),
      ],
      refused: ['l/x/.wh.f', "parent 'l' is a symlink"],
    },
  ])('$what', async ({ tar, refused: [name, reason] }) => {
    const { tree } = await simTree()
    expect(await applyBytes(tree, Buffer.concat([...tar, END]))).toMatchObject({
      _tag: 'Left',
      left: { _tag: 'UnsafePath', entry: name, reason },
    })
  })

  it('in a directory the layer made, a name the layer used again replaces what it put there', async () => {
    const { tree } = await simTree()
    const tar = Buffer.concat([
      entry({ name: 'd/', type: '5' }),
      entry({ name: 'd/f' }, Buffer.from('first')),
      entry({ name: 'd/f' }, Buffer.from('second')),
      entry({ name: 'd/s', type: '2', linkname: '/outside' }),
      entry({ name: 'd/s/', type: '5' }),
      entry({ name: 'e/g/h' }, Buffer.from('h')),
      entry({ name: 'e/g' }, Buffer.from('g')),
      END,
    ])
    expect(E.isRight((await applyBytes(tree, tar)) as E.Either<unknown, unknown>)).toBe(true)
    expect(await kinds(tree, ['d/f', 'd/s', 'e/g', 'outside'])).toEqual([
      ['d/f', 'F'],
      ['d/s', '/'],
      ['e/g', 'F'],
      ['outside', undefined],
    ])
    const f = E.getOrElseW(() => undefined)(await tree.lstat('d/f')())
    expect(f?.size).toBe('second'.length)
  })

  it('whiteouts and opaque markers in a directory the layer made keep its entries (W6)', async () => {
    const { tree } = await simTree()
    const files = ['n/a', 'n/b/c'].map((name) => entry({ name }, Buffer.from(name)))
    const hiding = ['n/.wh.a', 'n/b/.wh..wh..opq', 'n/.wh.b'].map((name) => entry({ name }))
    const tar = Buffer.concat([entry({ name: 'n/', type: '5' }), ...files, ...hiding, END])
    expect(E.isRight((await applyBytes(tree, tar)) as E.Either<unknown, unknown>)).toBe(true)
    expect(await kinds(tree, ['n/a', 'n/b', 'n/b/c'])).toEqual([
      ['n/a', 'F'],
      ['n/b', '/'],
      ['n/b/c', 'F'],
    ])
  })
})
