/**
 * `stratum pull <reference> [--platform] [--name] [--insecure] [--creds user:password]`: an
 * image from an OCI registry, each layer streamed into the store (a layer already stored is not
 * downloaded), recorded under the reference; one bar per layer. Credentials default to the auth
 * files users already have. Ctrl-C cancels as extract does.
 */
import * as E from 'fp-ts/lib/Either.js'
import { pipe } from 'fp-ts/lib/function.js'
import * as TE from 'fp-ts/lib/TaskEither.js'
import { err, type PullOptions, type StorageError } from '@stratum/core'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { layerBars } from '../progress.js'
import { report } from '../report.js'

/** `--creds user:password` parsed (push uses it too). */
export const credsOf = (s: string | undefined): E.Either<StorageError, PullOptions['credentials']> => {
  if (s === undefined) return E.right(undefined)
  const i = s.indexOf(':')
  return i <= 0
    ? E.left(err('InvalidName', { name: '--creds', reason: 'expected <user>:<password>' }))
    : E.right({ username: s.slice(0, i), password: s.slice(i + 1) })
}

interface PullFlags {
  readonly name?: string
  readonly platform?: string
  readonly insecure?: boolean
  readonly creds?: string
}

export const registerPull: Register = (program, run) => {
  program
    .command('pull')
    .description('pull an image from an OCI registry into the store, layer by layer')
    .argument('<reference>', '[host[:port]/]path[:tag|@digest] (no host: Docker Hub; no tag: latest)')
    .option('--name <name>', 'record the image under this name (default: the reference)')
    .option('--platform <os/arch[/variant]>', "the image to take from a multi-platform index (default: this host's)")
    .option('--insecure', 'plain HTTP, only to a loopback host (a test registry)')
    .option(
      '--creds <user:password>',
      'credentials (default: $REGISTRY_AUTH_FILE, containers auth.json, ~/.docker/config.json)',
    )
    .addHelpText(
      'after',
      examplesHelp('stratum pull alpine:3.20', 'stratum pull --insecure 127.0.0.1:5000/web:1 --name web:1'),
    )
    .action((reference: string, o: PullFlags) =>
      run((ctx) => {
        const bars = layerBars(ctx.progress, 'pull')
        const stop = () => () => bars.stop()
        return pipe(
          TE.fromEither(credsOf(o.creds)),
          TE.bindTo('credentials'),
          TE.bind('session', () => ctx.session()),
          TE.flatMap(({ credentials, session }) =>
            session.store.pull(
              reference,
              { onProgress: bars.onProgress, signal: ctx.signal },
              {
                ...(o.name === undefined ? {} : { name: o.name }),
                ...(o.platform === undefined ? {} : { platform: o.platform }),
                ...(o.insecure === true ? { insecure: true } : {}),
                ...(credentials === undefined ? {} : { credentials }),
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
