// Argument parsing at the boundary: image layout arguments (layer references: the store's resolver).
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { parseImageArg, parseImageSourceArg, parseLayoutTarget } from '../src/args.js'

const hex = 'ab'.repeat(32)

describe('parseImageArg', () => {
  it('splits <dir>[:<tag>] at the last colon, defaulting the tag to latest', () => {
    expect(parseImageArg('img:1.0')).toEqual(E.right({ dir: 'img', ref: '1.0' }))
    expect(parseImageArg('/a/b/img')).toEqual(E.right({ dir: '/a/b/img', ref: 'latest' }))
    expect(parseImageArg('/a:b/img')).toEqual(E.right({ dir: '/a:b/img', ref: 'latest' }))
    expect(parseImageArg('/a:b/img:v2')).toEqual(E.right({ dir: '/a:b/img', ref: 'v2' }))
    expect(parseImageArg(`img:sha256:${hex}`)).toEqual(E.right({ dir: 'img', ref: `sha256:${hex}` }))
  })

  it('refuses an empty directory or tag', () => {
    expect(E.isLeft(parseImageArg(''))).toBe(true)
    expect(E.isLeft(parseImageArg('img:'))).toBe(true)
  })
})

describe('parseImageSourceArg', () => {
  it('docker-archive:<file>[:<repo tag>] ends the file name at the first colon; oci: and bare arguments are layouts', () => {
    expect(parseImageSourceArg('docker-archive:/x/a.tar')).toEqual(
      E.right({ kind: 'docker-archive', path: '/x/a.tar', ref: undefined }),
    )
    expect(parseImageSourceArg('docker-archive:a.tar:web:1.0')).toEqual(
      E.right({ kind: 'docker-archive', path: 'a.tar', ref: 'web:1.0' }),
    )
    expect(parseImageSourceArg('oci:img:v1')).toEqual(E.right({ kind: 'layout', dir: 'img', ref: 'v1' }))
    expect(parseImageSourceArg('img')).toEqual(E.right({ kind: 'layout', dir: 'img', ref: undefined }))
    expect(E.isLeft(parseImageSourceArg('img:'))).toBe(true)
    expect(E.isLeft(parseImageSourceArg('docker-archive:'))).toBe(true)
  })

  it('a layout to write into is named by a tag, never a digest', () => {
    expect(parseLayoutTarget('out:v2')).toEqual(E.right({ dir: 'out', ref: 'v2' }))
    expect(E.isLeft(parseLayoutTarget(`out:sha256:${hex}`))).toBe(true)
  })
})
