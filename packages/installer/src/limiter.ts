/**
 * A concurrency limit with two priorities: work somebody waits for runs
 * before hints (prefetches), and a queued hint is promoted when somebody
 * starts waiting for it.
 */
export interface Limiter {
  /** Runs `task` under the limit; `key` identifies it for promotion. */
  run<T>(key: string, task: () => Promise<T>, priority: 'now' | 'later'): Promise<T>
  /** Moves a queued `later` task ahead (no effect once started). */
  promote(key: string): void
}

interface Job {
  readonly key: string
  readonly start: () => void
  priority: 'now' | 'later'
}

export function createLimiter(limit: number): Limiter {
  let active = 0
  const now: Job[] = []
  const later: Job[] = []
  const pump = () => {
    while (active < limit) {
      const job = now.shift() ?? later.shift()
      if (job === undefined) return
      active++
      job.start()
    }
  }
  return {
    run<T>(key: string, task: () => Promise<T>, priority: 'now' | 'later') {
      return new Promise<T>((resolve, reject) => {
        const job: Job = {
          key,
          priority,
          start: () => {
            task()
              .then(resolve, reject)
              .finally(() => {
                active--
                pump()
              })
          },
        }
        ;(priority === 'now' ? now : later).push(job)
        pump()
      })
    },
    promote(key) {
      const index = later.findIndex((job) => job.key === key)
      if (index === -1) return
      const [job] = later.splice(index, 1)
      job!.priority = 'now'
      now.push(job!)
      pump()
    },
  }
}
