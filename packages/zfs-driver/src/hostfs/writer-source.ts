/**
 * The writer thread's program (writer-thread.ts), as source text: a Worker runs it with
 * `eval`, so it loads the same way from the sources, the compiled packages and the bundled
 * binary (no file of its own to find). It binds its calls through koffi, as libc.ts does, and
 * makes each batch's jobs in order: a new file (openat with O_CREAT|O_EXCL|O_NOFOLLOW in the
 * pinned directory, write, fchown, fchmod, futimens, close), or a directory's owner and mode
 * (fchownat, fchmodat). It sleeps on the shared word counting the
 * batches posted; a failure is told on its own port before its batch counts as done.
 */
export const WRITER_SOURCE = `
const { workerData } = require('node:worker_threads')
const { control, counts, jobSlots, byteSlots, failures, layout } = workerData
const { DONE, POSTED, SLEEPING, STRIDE, CREATE, AT_SYMLINK_NOFOLLOW, SLOTS, JOBS, BYTES } = layout
const ctl = new Int32Array(control)
const count = new Int32Array(counts)
const jobsOf = []
const bytesOf = []
for (let i = 0; i < SLOTS; i++) {
  jobsOf.push(new Float64Array(jobSlots, i * JOBS * STRIDE * 8, JOBS * STRIDE))
  bytesOf.push(Buffer.from(byteSlots, i * BYTES, BYTES))
}
let koffi
const c = {}
let broken = false
try {
  koffi = require(workerData.koffi)
  const lib = koffi.load('libc.so.6')
  for (const [name, sig] of Object.entries(workerData.signatures)) c[name] = lib.func(sig)
} catch {
  broken = true
}
let errno = 0
/** the errno of the call that failed, kept before close can change it; the call's index */
const failedAt = (call) => {
  errno = koffi.errno()
  return call
}
/** owner (unless NaN) and mode of the entry name in dirFd, not following it for the owner (Linux has no lchmod) */
const setMeta = (j, at, dirFd, name) => {
  if (!Number.isNaN(j[at + 5]) && c.fchownat(dirFd, name, j[at + 5], j[at + 6], AT_SYMLINK_NOFOLLOW) < 0) return failedAt(6)
  if (c.fchmodat(dirFd, name, j[at + 7], 0) < 0) return failedAt(7)
  return -1
}
/** job at j[at..]: directory fd, name (NUL-terminated) start and end, data start and end, uid and gid (NaN: none), mode, times (NaN: none), client, kind; the failed call's index or -1 */
const run = (j, bytes, at) => {
  const name = bytes.subarray(j[at + 1], j[at + 2])
  if (j[at + 10] === 1) return setMeta(j, at, j[at], name)
  const fd = c.openat(j[at], name, CREATE, 0o600)
  if (fd < 0) return failedAt(0)
  let call = -1
  for (let off = j[at + 3], end = j[at + 4]; off < end; ) {
    const n = c.write(fd, bytes.subarray(off, end), end - off)
    if (n <= 0) {
      call = n < 0 ? failedAt(1) : ((errno = 0), 1)
      break
    }
    off += n
  }
  if (call < 0 && !Number.isNaN(j[at + 5]) && c.fchown(fd, j[at + 5], j[at + 6]) < 0) call = failedAt(2)
  if (call < 0 && c.fchmod(fd, j[at + 7]) < 0) call = failedAt(3)
  const t = j[at + 8]
  if (call < 0 && !Number.isNaN(t) && c.futimens(fd, bytes.subarray(t, t + 32)) < 0) call = failedAt(4)
  if (c.close(fd) < 0 && call < 0) call = failedAt(5)
  return call
}
let batch = 0
let first = 0
for (;;) {
  if (Atomics.load(ctl, POSTED) === batch) {
    Atomics.store(ctl, SLEEPING, 1)
    Atomics.wait(ctl, POSTED, batch)
    Atomics.store(ctl, SLEEPING, 0)
    continue
  }
  const slot = batch % SLOTS
  const n = count[slot]
  const jobs = jobsOf[slot]
  const bytes = bytesOf[slot]
  for (let i = 0; i < n; i++) {
    let call
    try {
      call = broken ? 8 : run(jobs, bytes, i * STRIDE)
    } catch {
      call = 8
      errno = 0
    }
    if (call >= 0) failures.postMessage({ owner: jobs[i * STRIDE + 9], job: first + i, errno, call })
  }
  batch++
  first += n
  Atomics.add(ctl, DONE, n)
  Atomics.notify(ctl, DONE)
}
`
