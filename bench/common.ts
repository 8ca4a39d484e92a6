/** What the benches share: the median of repeated runs, the real data of bench/data/build-image.sh, file chunks, the compiled packages. */
import { execFileSync } from 'node:child_process'
import { closeSync, existsSync, openSync, readSync } from 'node:fs'
import { join } from 'node:path'

export const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** The median wall time of `runs` calls of `f`, in seconds. */
export const medianSeconds = async (runs: number, f: () => Promise<unknown> | unknown): Promise<number> => {
  const ms: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    await f()
    ms.push(performance.now() - t0)
  }
  return median(ms) / 1000
}

/** Builds (or reuses) the bench image's layer tars, prints build-image.sh's `data=` line, gives their directory. */
export const benchTars = (small: boolean): string => {
  const data = execFileSync('bash', [join(import.meta.dirname, 'data/build-image.sh'), ...(small ? ['--small'] : [])], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const tars = /^tars=(.*)$/m.exec(data)?.[1]
  if (tars === undefined) throw new Error('build-image.sh printed no tars= line')
  console.log(/^data=.*$/m.exec(data)?.[0])
  return tars
}

/** A file read as tar reads one: 1 MiB reads, each chunk its own buffer. */
export async function* fileChunks(path: string): AsyncGenerator<Uint8Array> {
  const fd = openSync(path, 'r')
  try {
    for (;;) {
      const b = Buffer.allocUnsafe(1 << 20)
      const n = readSync(fd, b, 0, b.length, null)
      if (n === 0) return
      yield b.subarray(0, n)
    }
  } finally {
    closeSync(fd)
  }
}

/** The compiled packages (`pnpm build`), which a runtime imports: the sources through tsx carry wrappers of their own. */
export const builtPackages = {
  core: () => loadBuilt<typeof import('../packages/core/src/index.js')>('core'),
  zfsDriver: () => loadBuilt<typeof import('../packages/zfs-driver/src/index.js')>('zfs-driver'),
}

const loadBuilt = async <M>(pkg: string): Promise<M> => {
  const file = join(import.meta.dirname, `../packages/${pkg}/dist/index.js`)
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`npx -y pnpm@10.34.8 build\` first`)
  return (await import(file)) as M
}
