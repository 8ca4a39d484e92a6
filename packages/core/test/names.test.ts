import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { ContainerId, parseContainerId, parseDatasetName, parsePropertyName, parseSnapshotName } from '@stratum/core'

const reason = (e: E.Either<{ _tag: string; reason?: string }, unknown>) =>
  E.isLeft(e) ? `${e.left._tag}: ${e.left.reason}` : 'ok'

describe('dataset names follow OpenZFS namecheck', () => {
  it.each([
    ['pool/a/b', 'ok'],
    ['pool/a b:c.d-e_f', 'ok'],
    ['pool/a$b', "InvalidName: invalid character '$' in name"],
    ['/pool/a', 'InvalidName: leading slash in name'],
    ['pool/a/', 'InvalidName: trailing slash in name'],
    ['pool//a', "InvalidName: empty component or misplaced '@' or '#' delimiter in name"],
    ['pool/./a', "InvalidName: self reference, '.' is found in name"],
    ['pool/../a', "InvalidName: parent reference, '..' is found in name"],
    ['pool/a@s', "InvalidName: snapshot delimiter '@' is not expected here"],
    ['pool/a#b', "InvalidName: bookmark delimiter '#' is not expected here"],
    ['pool/a%b', 'InvalidName: invalid character % in name'],
    ['', "InvalidName: empty component or misplaced '@' or '#' delimiter in name"],
    [`pool/${'x'.repeat(251)}`, 'InvalidName: name is too long'],
    [`pool/${'x'.repeat(250)}`, 'ok'],
    ['1pool/a', 'InvalidName: pool name must begin with a letter'],
    // live OpenZFS 2.3.2: a name with 49 '/' is created, one with 50 is refused
    [`p${'/a'.repeat(50)}`, 'InvalidName: maximum name nesting depth exceeded'],
    [`p${'/a'.repeat(49)}`, 'ok'],
  ])('%s -> %s', (name, want) => {
    expect(reason(parseDatasetName(name))).toBe(want)
  })
})

describe('snapshot names', () => {
  it.each([
    ['pool/a@s', 'ok'],
    ['pool/a', "InvalidName: missing '@' delimiter in snapshot name"],
    ['pool/a@', "InvalidName: empty component or misplaced '@' or '#' delimiter in name"],
    ['pool/a@s@t', "InvalidName: multiple '@' and/or '#' delimiters in name"],
    ['pool/a@s/x', 'InvalidName: trailing slash in name'],
    ['pool/a@b$d', "InvalidName: invalid character '$' in name"],
    ['pool/a@.', "InvalidName: self reference, '.' is found in name"],
  ])('%s -> %s', (name, want) => {
    expect(reason(parseSnapshotName(name))).toBe(want)
  })
})

describe('user property names', () => {
  it.each([
    ['stratum:diffid', 'ok'],
    ['com.example:a-b_c.d', 'ok'],
    ['Foo:bar', "InvalidName: invalid property 'Foo:bar'"],
    ['nocolon', "InvalidName: invalid property 'nocolon'"],
  ])('%s -> %s', (name, want) => {
    expect(reason(parsePropertyName(name))).toBe(want)
  })
})

describe('container ids', () => {
  it('accepts one dataset name component as a container id', () => {
    expect(parseContainerId('web-1.prod_2:x')).toEqual(E.right('web-1.prod_2:x'))
    for (const bad of ['', 'a/b', 'a@b', 'a#b', 'a%b', 'a*b']) {
      expect(parseContainerId(bad)).toMatchObject(E.left({ _tag: 'InvalidName', name: bad }))
    }
  })

  it('says why, and the codec agrees with the parser', () => {
    expect(reason(parseContainerId('a/b'))).toBe('InvalidName: a container id is one dataset name component')
    expect(reason(parseContainerId('..'))).toBe('InvalidName: not a valid dataset name component')
    for (const s of ['web', '', 'a/b', 'a*b', '.', 'x'.repeat(300)]) {
      expect(ContainerId.is(s)).toBe(E.isRight(parseContainerId(s)))
    }
  })
})
