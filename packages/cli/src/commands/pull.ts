/**
 * `stratum pull <reference> [--platform] [--name] [--mirror host]... [--insecure] [--creds user:password]`: an
 * image from an OCI registry, each layer streamed into the store (a layer already stored is not
 * downloaded), recorded under the reference; one bar per layer. Credentials default to the auth
 * files users already have. Ctrl-C cancels as extract does.
 */
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { layerBars } from '../progress.js'
import { type RegistryFlags, registryAccess, withRegistryFlags } from '../registry-flags.js'
import { report } from '../report.js'

interface PullFlags extends RegistryFlags {
  readonly name?: string
  readonly platform?: string
  readonly mirror: readonly string[]
}

const collect = (v: string, all: readonly string[]): readonly string[] => [...all, v]

export const registerPull: Register = (program, run) => {
  withRegistryFlags(
    program
      .command('pull')
      .description('pull an image from an OCI registry into the store, layer by layer')
      .argument('<reference>', '[host[:port]/]path[:tag|@digest] (no host: Docker Hub; no tag: latest)')
      .option('--name <name>', 'record the image under this name (default: the reference)')
      .option('--platform <os/arch[/variant]>', "the image to take from a multi-platform index (default: this host's)")
      .option(
        '--mirror <host[:port]>',
        "a registry asked first (repeat for more, in order); else the reference's own",
        collect,
        [],
      ),
  )
    .addHelpText(
      'after',
      examplesHelp(
        'stratum pull alpine:3.20',
        'stratum pull --mirror mirror.example:5000 alpine:3.20',
        'stratum pull --insecure 127.0.0.1:5000/web:1 --name web:1',
      ),
    )
    .action((reference: string, o: PullFlags) =>
      run((ctx) => {
        const bars = layerBars(ctx.progress, 'pull')
        const stop = () => () => bars.stop()
        return pipe(
          TE.fromEither(registryAccess(o)),
          TE.bindTo('access'),
          TE.bind('session', () => ctx.session()),
          TE.flatMap(({ access, session }) =>
            session.store.pull(
              reference,
              { onProgress: bars.onProgress, signal: ctx.signal },
              {
                ...(o.name === undefined ? {} : { name: o.name }),
                ...(o.platform === undefined ? {} : { platform: o.platform }),
                ...(o.mirror.length === 0 ? {} : { mirrors: o.mirror }),
                ...access,
              },
            ),
          ),
          TE.tapIO(stop),
          TE.orElseFirstIOK(stop),
          TE.map(({ name, layers, top }) =>
            report({ name, layers, top }, [
              ...layers.map((l) => `${l.chainId} ${l.reused ? 'reused' : 'pulled'}`),
              `top ${top}`,
              `image ${name}`,
            ]),
          ),
        )
      }),
    )
}
