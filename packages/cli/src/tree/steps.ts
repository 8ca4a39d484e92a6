/**
 * Sequential async code over TaskEithers: `must` unwraps one (a Left is thrown as a carrier),
 * `steps` runs such code and turns the carried error back into a Left.
 */
import * as E from 'fp-ts/lib/Either.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { ioError, type StorageError } from '@stratum/core'

class Carried {
  constructor(readonly error: StorageError) {}
}

export const must = async <A>(ma: TE.TaskEither<StorageError, A>): Promise<A> => {
  const r = await ma()
  if (E.isLeft(r)) throw new Carried(r.left)
  return r.right
}

export const steps = <A>(what: string, f: () => Promise<A>): TE.TaskEither<StorageError, A> =>
  TE.tryCatch(f, (u) =>
    u instanceof Carried ? u.error : ioError('EIO', what, u instanceof Error ? u.message : String(u), u),
  )

/** Child path: '' is the root. */
export const join = (dir: string, name: string): string => (dir === '' ? name : `${dir}/${name}`)
