/** `stratum apply` (commands/apply.ts): the tar, gunzipped when its first bytes say gzip, applied by the store. */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { FailureSlot, gunzip } from '@stratum/core/internal'
import type { Action } from '../command.js'
import { hostStream, isGzip, readHead, regularFileSize } from '../host.js'
import { counted, startProgress, stoppingBar } from '../progress.js'
import { report } from '../report.js'

export const applyAction =
  (id: string, file: string): Action =>
  (ctx) =>
    pipe(
      regularFileSize(file),
      TE.bindTo('size'),
      TE.bind('head', () => readHead(file, 2)),
      TE.bind('session', () => ctx.session()),
      TE.bind('result', ({ size, head, session }) => {
        const bar = startProgress(ctx.progress, 'apply', 'bytes', size)
        const slot = new FailureSlot()
        const raw = counted(hostStream(file), bar)
        const tar = isGzip(head) ? gunzip(raw, file, slot) : raw
        return pipe(
          session.store.apply(id, tar),
          TE.mapLeft((e) => slot.error ?? e),
          stoppingBar(bar),
        )
      }),
      TE.map(({ result }) =>
        report({ container: id, entries: result.entries, bytes: result.bytes }, [
          `applied ${result.entries} entries (${result.bytes} bytes) to ${id}`,
        ]),
      ),
    )
