// Registry credentials from the auth files users have (containers-auth.json order), and the WWW-Authenticate challenges a registry sends.
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseChallenge } from '../../src/registry/challenge.js'
import { credentialsFor } from '../../src/registry/credentials.js'

const b64 = (s: string) => Buffer.from(s).toString('base64')

describe('credentialsFor', () => {
  it('takes $REGISTRY_AUTH_FILE first, matches https:// and /v1/ keys, and repository-scoped keys before the host', async () => {
    const home = await mkdtemp(join(tmpdir(), 'stratum-creds-'))
    await mkdir(join(home, '.docker'))
    await writeFile(
      join(home, '.docker/config.json'),
      JSON.stringify({
        auths: { 'https://index.docker.io/v1/': { auth: b64('hub:pw') }, 'r.example:5000': { auth: b64('d:1') } },
      }),
    )
    await writeFile(
      join(home, 'auth.json'),
      JSON.stringify({ auths: { 'r.example:5000/team/app': { auth: b64('team:2:x') } } }),
    )
    const env = { HOME: home, REGISTRY_AUTH_FILE: join(home, 'auth.json') }
    expect(await credentialsFor('docker.io', 'library/busybox', { HOME: home })).toEqual({
      username: 'hub',
      password: 'pw',
    })
    expect(await credentialsFor('index.docker.io', 'library/busybox', env)).toEqual({ username: 'hub', password: 'pw' })
    expect(await credentialsFor('r.example:5000', 'team/app/web', env)).toEqual({ username: 'team', password: '2:x' })
    expect(await credentialsFor('r.example:5000', 'other', env)).toEqual({ username: 'd', password: '1' })
    expect(await credentialsFor('nowhere', 'x', env)).toBeUndefined()
  })

  it('a malformed file is passed over, not an error', async () => {
    const home = await mkdtemp(join(tmpdir(), 'stratum-creds-'))
    await writeFile(join(home, 'bad.json'), '{ not json')
    expect(await credentialsFor('h', 'r', { HOME: home, REGISTRY_AUTH_FILE: join(home, 'bad.json') })).toBeUndefined()
  })
})

describe('parseChallenge', () => {
  it('reads Basic and Bearer challenges with quoted and bare parameters', () => {
    expect(parseChallenge('Basic realm="stratum-test"')).toEqual({ scheme: 'basic', params: { realm: 'stratum-test' } })
    expect(
      parseChallenge(
        'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.docker.io/token',
        service: 'registry.docker.io',
        scope: 'repository:library/busybox:pull',
      },
    })
    expect(parseChallenge('Negotiate abc')).toBeUndefined()
    expect(parseChallenge(null)).toBeUndefined()
  })
})
