/** A counting semaphore: at most `limit` holders at once, the rest wait in order. */
export interface Semaphore {
  /** Resolves with a release function once a slot is free. */
  readonly acquire: () => Promise<() => void>
}

export function createSemaphore(limit: number): Semaphore {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`concurrency limit must be a positive integer, got ${limit}`)
  let active = 0
  const waiting: (() => void)[] = []
  const release = () => {
    const next = waiting.shift()
    if (next !== undefined) next()
    else active--
  }
  return {
    acquire() {
      if (active < limit) {
        active++
        return Promise.resolve(once(release))
      }
      return new Promise((resolve) => waiting.push(() => resolve(once(release))))
    },
  }
}

function once(fn: () => void): () => void {
  let called = false
  return () => {
    if (!called) {
      called = true
      fn()
    }
  }
}
