// Argument parsing at the boundary: image layout arguments (layer references: the store's resolver).
import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { parseImageArg } from '../src/args.js'

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
