/** `stratum mount` and `umount` (commands/mount.ts): a named hold on a container's mounted root, taken or released. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Action } from '../command.js'
import { report } from '../report.js'

export const mountAction =
  (id: string, o: { holder: string }): Action =>
  (ctx) =>
    pipe(
      ctx.session(),
      TE.flatMap((session) => session.store.mount(id, o.holder)),
      TE.map((path) => report({ container: id, path, holder: o.holder }, [path])),
    )

export const umountAction =
  (id: string, o: { holder: string }): Action =>
  (ctx) =>
    pipe(
      ctx.session(),
      TE.tap((session) => session.store.unmount(id, o.holder)),
      TE.map(() => report({ container: id, holder: o.holder, released: true }, [`released ${id} (${o.holder})`])),
    )
