// catchTag: the failure with the named tag is handled, every other failure and every success pass unchanged.
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { describe, expect, it } from 'vitest'
import { catchTag, err, type StorageError } from '@stratum/core'

const exists = err('DatasetExists', { name: 'p/a' })
const missing = err('DatasetNotFound', { name: 'p/b' })

describe('catchTag', () => {
  it('hands the failure with the tag to the handler, narrowed to that tag', async () => {
    const seen: string[] = []
    const r = await pipe(
      TE.left<StorageError, number>(exists),
      catchTag('DatasetExists', (e) => {
        seen.push(e.name)
        return TE.right('handled')
      }),
    )()
    expect(r).toEqual(E.right('handled'))
    expect(seen).toEqual(['p/a'])
  })

  it('passes other failures and successes through without calling the handler', async () => {
    let calls = 0
    const handle = catchTag('DatasetExists', () => {
      calls++
      return TE.right(0)
    })
    expect(await handle(TE.left(missing))()).toEqual(E.left(missing))
    expect(await handle(TE.right(7))()).toEqual(E.right(7))
    expect(calls).toBe(0)
  })

  it('lets the handler fail with another error', async () => {
    const r = await pipe(
      TE.left(exists),
      catchTag('DatasetExists', () => TE.left(missing)),
    )()
    expect(r).toEqual(E.left(missing))
  })
})
