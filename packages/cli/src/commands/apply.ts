/**
 * `stratum apply <container-id> <tar>`: applies a layer tar (plain or gzip, with whiteouts)
 * onto a container's root, with the same confinement rules as extract.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { FailureSlot, gunzip } from '@stratum/core/internal'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { hostStream, isGzip, readHead, regularFileSize } from '../host.js'
import { counted, startProgress } from '../progress.js'
import { report } from '../report.js'

export const registerApply: Register = (program, run) => {
  program
    .command('apply')
    .description("apply a layer tar (plain or gzip) onto a container's root")
    .argument('<container-id>', 'container id: one dataset name component (no / @ #)')
    .argument('<tar>', 'layer tar on the host, plain or gzip')
    .addHelpText('after', examplesHelp('stratum apply web changes.tar.gz'))
    .action((id: string, file: string) =>
      run((ctx) =>
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
              TE.tapIO(() => () => bar.stop()),
              TE.orElseFirstIOK(() => () => bar.stop()),
            )
          }),
          TE.map(({ result }) =>
            report({ container: id, entries: result.entries, bytes: result.bytes }, [
              `applied ${result.entries} entries (${result.bytes} bytes) to ${id}`,
            ]),
          ),
        ),
      ),
    )
}
