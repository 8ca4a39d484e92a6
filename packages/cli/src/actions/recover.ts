/** `stratum recover` (commands/recover.ts): the store opened with the owner policy asked, recovered again, both passes reported. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { DEFAULT_STALE_AFTER_MS, defaultOwnerPolicy, openLayerStore } from '@stratum/core'
import type { Action } from '../command.js'
import { report } from '../report.js'
import { openBackend } from '../session.js'

export const recoverAction =
  (o: { ownerHost: string[]; olderThan?: number }): Action =>
  (ctx) =>
    pipe(
      openBackend(ctx.opts, ctx.io),
      TE.bindTo('backend'),
      TE.bind('store', ({ backend }) =>
        openLayerStore(backend.driver, backend.base, {
          owner: defaultOwnerPolicy(o.olderThan ?? DEFAULT_STALE_AFTER_MS, { takeOverHosts: o.ownerHost }),
        }),
      ),
      TE.bind('again', ({ store }) => store.recover()),
      TE.map(({ store, again }) => {
        // opening the store recovered first; the second pass reports what is still left alone
        const { recovered } = store
        const destroyed = [...recovered.destroyed, ...again.destroyed]
        const rolledBack = [...recovered.rolledBack, ...again.rolledBack]
        const completed = [...recovered.completed, ...again.completed]
        const skipped = again.skipped
        const text = [
          ...destroyed.map((n) => `destroyed ${n}`),
          ...rolledBack.map((n) => `rolled back ${n}`),
          ...completed.map((n) => `completed ${n}`),
          ...skipped.map((k) => `skipped ${k.name}: ${k.reason}`),
        ]
        return report({ destroyed, rolledBack, completed, skipped }, text.length > 0 ? text : ['nothing to recover'])
      }),
    )
