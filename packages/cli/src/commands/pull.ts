/**
 * `stratum pull <reference> [--platform] [--name] [--mirror host]... [--insecure] [--creds user:password]`: an
 * image from an OCI registry, each layer streamed into the store (a layer already stored is not
 * downloaded), recorded under the reference; one bar per layer. Credentials default to the auth
 * files users already have. Ctrl-C cancels as extract does.
 */
import type { PullFlags } from '../actions/pull.js'
import type { Register } from '../command.js'
import { examplesHelp } from '../help.js'
import { collect, withRegistryFlags } from '../options.js'

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
      run(() => import('../actions/pull.js').then((m) => m.pullAction(reference, o))),
    )
}
