/**
 * A TCP proxy on 127.0.0.1 that passes what the server sends back at a fixed rate, one budget
 * shared by every connection (one link): a loopback registry at a network's speed, for
 * bench/registry-pull.ts. Requests go through unpaced; they are small.
 */
import { connect, createServer, type Socket } from 'node:net'

export interface Proxy {
  /** `127.0.0.1:<port>` */
  readonly host: string
  close(): Promise<void>
}

const TICK_MS = 5
const HIGH_WATER = 1 << 18

export const throttleProxy = async (target: string, bytesPerSecond: number): Promise<Proxy> => {
  const [targetHost, targetPort] = target.split(':')
  const queue: { to: Socket; from: Socket; buf: Buffer }[] = []
  const queued = new Map<Socket, number>()
  let last = performance.now()
  let allowance = 0
  const pump = setInterval(() => {
    const now = performance.now()
    allowance = Math.min(allowance + ((now - last) / 1000) * bytesPerSecond, bytesPerSecond / 10)
    last = now
    while (queue.length > 0 && allowance >= 1) {
      const head = queue[0]!
      const n = Math.min(head.buf.length, Math.floor(allowance))
      if (!head.to.destroyed) head.to.write(head.buf.subarray(0, n))
      allowance -= n
      const left = (queued.get(head.from) ?? 0) - n
      queued.set(head.from, left)
      if (left < HIGH_WATER) head.from.resume()
      if (n === head.buf.length) queue.shift()
      else head.buf = head.buf.subarray(n)
    }
    if (queue.length === 0) allowance = Math.min(allowance, bytesPerSecond * (TICK_MS / 1000))
  }, TICK_MS)
  const sockets = new Set<Socket>()
  const server = createServer((client) => {
    const upstream = connect(Number(targetPort), targetHost)
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
    }
    client.pipe(upstream)
    upstream.on('data', (buf: Buffer) => {
      queue.push({ to: client, from: upstream, buf })
      const n = (queued.get(upstream) ?? 0) + buf.length
      queued.set(upstream, n)
      if (n >= HIGH_WATER) upstream.pause()
    })
    upstream.on('end', () => {
      // the client's end follows the last paced byte
      const done = setInterval(() => {
        if (!queue.some((q) => q.from === upstream)) {
          clearInterval(done)
          queued.delete(upstream)
          client.end()
        }
      }, TICK_MS)
    })
    const drop = () => {
      client.destroy()
      upstream.destroy()
    }
    client.on('error', drop)
    upstream.on('error', drop)
    client.on('close', () => upstream.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    host: `127.0.0.1:${(server.address() as { port: number }).port}`,
    close: () =>
      new Promise((resolve) => {
        clearInterval(pump)
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      }),
  }
}
