import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyEntry, compareBytes, normalizeEntryName } from '@stratum/core/internal'

const norm = (s: string): string => {
  const r = normalizeEntryName(s)
  return E.isRight(r) ? r.right : `${r.left._tag}: ${(r.left as { reason: string }).reason}`
}
const kind = (s: string): string => {
  const r = normalizeEntryName(s)
  if (E.isLeft(r)) return r.left._tag
  const k = classifyEntry(s, r.right)
  if (E.isLeft(k)) return `${k.left._tag}: ${(k.left as { reason: string }).reason}`
  return k.right.kind === 'whiteout'
    ? `whiteout ${k.right.target}`
    : k.right.kind === 'opaque'
      ? `opaque '${k.right.dir}'`
      : k.right.kind
}

describe('entry names are normalized into root-relative paths', () => {
  it.each([
    ['/etc/x', 'etc/x'], // N1
    ['./a/./b', 'a/b'], // N3
    ['a//b/', 'a/b'],
    ['./', ''],
    ['.', ''],
    ['/', ''],
    ['a/../b', 'b'],
    ['../x', "UnsafePath: '..' escapes the root"], // N2
    ['a/../../x', "UnsafePath: '..' escapes the root"], // N2
    ['', 'UnsafePath: empty name'], // N4
    ['a\u0000b', 'UnsafePath: name contains NUL'], // N5
    ['e\u0301', 'e\u0301'], // N10: no unicode normalization
  ])('%j -> %j', (raw, want) => {
    expect(norm(raw)).toBe(want)
  })

  // Property: a normalized path never has an empty, '.' or '..' component and never starts with '/'.
  it('normalized paths are clean', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', '.', '..', '', '/x'), { maxLength: 8 }), (parts) => {
        const r = normalizeEntryName(parts.join('/') || '.')
        if (E.isLeft(r)) return
        expect(r.right.startsWith('/')).toBe(false)
        if (r.right !== '') for (const c of r.right.split('/')) expect(['', '.', '..']).not.toContain(c)
      }),
      { numRuns: 200 },
    )
  })

  /** The rule written out plainly: split on '/', drop '' and '.', fold '..' (refused above the root). */
  const reference = (raw: string): string => {
    if (raw.includes('\u0000')) return 'UnsafePath: name contains NUL'
    if (raw === '') return 'UnsafePath: empty name'
    const out: string[] = []
    for (const c of raw.split('/')) {
      if (c === '' || c === '.') continue
      if (c !== '..') out.push(c)
      else if (out.pop() === undefined) return "UnsafePath: '..' escapes the root"
    }
    return out.join('/')
  }

  // Property: every name normalizes as the plain rule says, names that need no folding included.
  it('agrees with the plain rule on any name', () => {
    const part = fc.constantFrom('a', 'bc', '.', '..', '...', '.a', 'a.', '', '\u0000', 'é')
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), fc.boolean(), fc.boolean(), (parts, lead, trail) => {
        const raw = `${lead ? '/' : ''}${parts.join('/')}${trail ? '/' : ''}`
        expect(norm(raw)).toBe(reference(raw))
      }),
      { numRuns: 500 },
    )
  })
})

describe('whiteouts are recognized by their base name', () => {
  it.each([
    ['a/.wh.b', 'whiteout a/b'], // W1
    ['.wh.b', 'whiteout b'],
    ['a/.wh..wh..opq', "opaque 'a'"], // W2
    ['.wh..wh..opq', "opaque ''"],
    ['a/.wh..wh.plnk', 'meta'],
    ['a/.wh...', "UnsafePath: whiteout of '..' names no entry"], // W4
    ['a/.wh..', "UnsafePath: whiteout of '.' names no entry"], // W4
    ['a/.wh.', "UnsafePath: whiteout of '' names no entry"], // W4
    ['a/b.wh.c', 'plain'],
  ])('%j -> %s', (raw, want) => {
    expect(kind(raw)).toBe(want)
  })
})

describe('compareBytes', () => {
  it('orders by UTF-8 bytes, a directory before its contents', () => {
    const names = ['a/b', 'a', 'a-b', '\u{1F600}', '\uFFFD', 'a.b']
    expect([...names].sort(compareBytes)).toEqual(['a', 'a-b', 'a.b', 'a/b', '\uFFFD', '\u{1F600}'])
  })
})
