/**
 * A real distribution registry (Debian's docker-registry) for the pull tests: on 127.0.0.1 at a
 * free port, a temporary storage directory, htpasswd auth (bcrypt, written by htpasswd -B).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TokenService } from './token-service.js'

export interface TestRegistry {
  /** `127.0.0.1:<port>` */
  readonly host: string
  /** the registry's storage root (blobs under docker/registry/v2/blobs) */
  readonly storage: string
  readonly user: string
  readonly password: string
  /** SIGKILL the registry process (its storage stays), resolved once it has exited */
  kill(): Promise<void>
  /** a registry process again, on the same address and storage */
  restart(): Promise<void>
  stop(): Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port
      s.close(() => resolve(port))
    })
  })

const answers = async (host: string): Promise<boolean> =>
  fetch(`http://${host}/v2/`).then(
    (r) => r.status === 401,
    () => false,
  )

/** The registry's user (htpasswd's, or one the token service must know). */
export const REGISTRY_USER = { user: 'stratum', password: 'pull-secret' } as const

/** With `token`, the registry's auth is that token service's (`auth: token`), else htpasswd. */
export const startRegistry = async (token?: TokenService): Promise<TestRegistry> => {
  const dir = await mkdtemp(join(tmpdir(), 'stratum-registry-'))
  const { user, password } = REGISTRY_USER
  await writeFile(join(dir, 'htpasswd'), execFileSync('htpasswd', ['-Bbn', user, password]))
  const host = `127.0.0.1:${await freePort()}`
  const storage = join(dir, 'data')
  const config = [
    'version: 0.1',
    'log: { level: error }',
    `storage: { filesystem: { rootdirectory: ${storage} }, delete: { enabled: true } }`,
    `http: { addr: "${host}", secret: stratum-test }`,
    token === undefined
      ? `auth: { htpasswd: { realm: stratum-test, path: ${join(dir, 'htpasswd')} } }`
      : `auth: { token: { realm: "${token.realm}", service: ${token.service}, issuer: ${token.issuer}, rootcertbundle: ${token.bundle} } }`,
  ].join('\n')
  await writeFile(join(dir, 'config.yml'), config)
  let child: ChildProcess | undefined
  const serve = async () => {
    child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' })
    for (let i = 0; i < 100 && !(await answers(host)); i++) await new Promise((r) => setTimeout(r, 100))
    if (!(await answers(host))) throw new Error(`docker-registry did not answer on ${host}`)
  }
  const kill = async () => {
    const c = child
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return
    const exited = new Promise((r) => c.once('exit', r))
    c.kill('SIGKILL')
    await exited
  }
  await serve()
  return {
    host,
    storage,
    user,
    password,
    kill,
    restart: serve,
    stop: async () => {
      await kill()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** A front for `reg` speaking the token flow: Bearer challenges, a `/token` endpoint checking basic credentials. */
export interface TokenFront {
  readonly host: string
  /** cut the connections of the next `times` GETs of this blob after half their bytes (a registry dying mid-download) */
  cutNext(digest: string, times?: number): void
  /**
   * SIGKILL the registry process when the next GET of this blob brings its first bytes (once the
   * other answers in flight have ended); `killed` then says how many of the blob's bytes the
   * registry had sent the front of how many it should have
   */
  killOn(digest: string): void
  readonly killed: { readonly sent: number; readonly size: number } | undefined
  /** the Range headers the front was sent, in order */
  readonly ranges: string[]
  /** the paths of the requests it forwarded to the registry, in order */
  readonly requests: string[]
  stop(): Promise<void>
}

export const startTokenFront = async (reg: TestRegistry): Promise<TokenFront> => {
  const { createServer: createHttp, request } = await import('node:http')
  const token = 'stratum-test-token'
  const basic = `Basic ${Buffer.from(`${reg.user}:${reg.password}`).toString('base64')}`
  let cut: { digest: string; times: number } | undefined
  let killOn: string | undefined
  let killed: TokenFront['killed']
  const ranges: string[] = []
  const requests: string[] = []
  const inFlight = new Set<Promise<void>>()
  const [regHost, regPort] = reg.host.split(':') as [string, string]
  const server = createHttp((req, res) => {
    res.on('error', () => undefined) // a write after the client's connection was cut
    const url = req.url ?? '/'
    if (url.startsWith('/token')) {
      if (req.headers.authorization !== basic) return res.writeHead(401).end()
      res.writeHead(200, { 'content-type': 'application/json' })
      return res.end(JSON.stringify({ token }))
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      const realm = `http://${host}/token`
      res.writeHead(401, {
        'www-authenticate': `Bearer realm="${realm}",service="stratum-test",scope="repository:stratum/demo:pull"`,
      })
      return res.end()
    }
    const range = req.headers.range
    if (range !== undefined) ranges.push(range)
    requests.push(url)
    const blob = (d: string | undefined) => d !== undefined && url.includes(`/blobs/${d}`)
    const cutting = blob(cut?.digest)
    if (cutting) cut = cut!.times > 1 ? { ...cut!, times: cut!.times - 1 } : undefined
    const killing = blob(killOn)
    if (killing) killOn = undefined
    const headers = { ...req.headers, authorization: basic }
    delete headers.connection
    let ended = () => {}
    const done = new Promise<void>((r) => (ended = r))
    // a registry that is down (killed) answers nothing: the client's connection is closed
    const up = request({ host: regHost, port: regPort, path: url, method: req.method, headers }, (ans) => {
      const size = Number(ans.headers['content-length'] ?? 0)
      const out = { ...ans.headers }
      delete out.connection
      res.writeHead(ans.statusCode ?? 502, out)
      let sent = 0
      let kill = Promise.resolve() // this answer's first bytes forwarded, the kill done, then the rest the registry had sent
      let cutShort = false
      ans.on('data', (c: Buffer) => {
        if (killing && sent === 0) {
          ans.pause()
          kill = Promise.all([...inFlight].filter((p) => p !== done))
            .then(() => reg.kill())
            .then(() => void ans.resume())
        }
        sent += c.length
        if (killing) killed = { sent, size }
        if (!cutting || sent < size >> 1) return void res.write(c)
        cutShort = true
        res.write(c.subarray(0, c.length - (sent - (size >> 1))))
        ans.destroy()
        setTimeout(() => res.socket?.destroy(), 50)
      })
      ans.on('close', () =>
        kill.then(() => {
          if (!cutShort && ans.complete) res.end()
          else if (!cutShort) res.socket?.destroy()
          ended()
        }),
      )
    })
    up.on('error', () => {
      res.socket?.destroy()
      ended()
    })
    inFlight.add(done)
    void done.then(() => inFlight.delete(done))
    req.pipe(up)
  })
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()))
  return {
    host,
    cutNext: (digest, times = 1) => {
      cut = { digest, times }
    },
    killOn: (digest) => {
      killOn = digest
    },
    get killed() {
      return killed
    },
    ranges,
    requests,
    stop: () => new Promise((r) => server.close(() => r())),
  }
}
