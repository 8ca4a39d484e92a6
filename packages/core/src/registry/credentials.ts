/**
 * Registry credentials from the files users already have, in containers-auth.json(5)'s order:
 * `$REGISTRY_AUTH_FILE`, `$XDG_RUNTIME_DIR/containers/auth.json`, `~/.config/containers/auth.json`,
 * then `~/.docker/config.json`. An entry's key is a host (optionally `https://`, a path, or a
 * repository under the host); its `auth` is base64 `user:password`. Credential helpers
 * (`credsStore`, `credHelpers`) are not run.
 */
import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'

/** A user name and password for a registry (basic auth, or to obtain a bearer token). */
export interface Credentials {
  readonly username: string
  readonly password: string
}

const AuthFile = t.partial({ auths: t.record(t.string, t.partial({ auth: t.string })) })

const authFiles = (env: NodeJS.ProcessEnv): string[] => {
  const home = env.HOME ?? homedir()
  return [
    ...(env.REGISTRY_AUTH_FILE === undefined ? [] : [env.REGISTRY_AUTH_FILE]),
    ...(env.XDG_RUNTIME_DIR === undefined ? [] : [join(env.XDG_RUNTIME_DIR, 'containers/auth.json')]),
    join(home, '.config/containers/auth.json'),
    join(home, '.docker/config.json'),
  ]
}

/** Docker Hub's names: docker's own files key it `https://index.docker.io/v1/`. */
const DOCKER_HUB = ['docker.io', 'index.docker.io', 'registry-1.docker.io']

/** `https://host/v1/` → `host`; `host/repo` stays `host/repo`. */
const keyOf = (k: string): string =>
  k
    .replace(/^https?:\/\//, '')
    .replace(/\/v[12]\/?$/, '')
    .replace(/\/$/, '')

const decode = (auth: string): Credentials | undefined => {
  const s = Buffer.from(auth, 'base64').toString('utf8')
  const i = s.indexOf(':')
  return i <= 0 ? undefined : { username: s.slice(0, i), password: s.slice(i + 1) }
}

/** The credentials the first file that has any for `host` (or for `host/repository` and its parents) gives. */
export const credentialsFor = async (
  host: string,
  repository: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Credentials | undefined> => {
  const parts = repository.split('/')
  const hosts = DOCKER_HUB.includes(host) ? DOCKER_HUB : [host]
  const keys = hosts.flatMap((h) => [...parts.map((_, i) => `${h}/${parts.slice(0, parts.length - i).join('/')}`), h])
  for (const file of authFiles(env)) {
    const text = await readFile(file, 'utf8').catch(() => undefined)
    if (text === undefined) continue
    const parsed = E.tryCatch(
      () => JSON.parse(text) as unknown,
      () => undefined,
    )
    const doc = E.isRight(parsed) ? AuthFile.decode(parsed.right) : undefined
    if (doc === undefined || E.isLeft(doc)) continue
    const byKey = new Map(Object.entries(doc.right.auths ?? {}).map(([k, v]) => [keyOf(k), v.auth]))
    for (const k of keys) {
      const auth = byKey.get(k)
      const c = auth === undefined ? undefined : decode(auth)
      if (c !== undefined) return c
    }
  }
  return undefined
}
