/**
 * Python's `difflib.get_close_matches` (a SequenceMatcher of Ratcliff and
 * Obershelp without junk), which pip uses to suggest a command for a
 * mistyped one: `ERROR: unknown command "instal" - maybe you meant "install"`.
 */

/** The number of characters in the matching blocks of `a` and `b` (`sum(m.size for m in get_matching_blocks())`). */
function matchingCharacters(a: readonly string[], b: readonly string[]): number {
  const b2j = new Map<string, number[]>()
  b.forEach((char, j) => {
    const list = b2j.get(char)
    if (list === undefined) b2j.set(char, [j])
    else list.push(j)
  })
  const longest = (alo: number, ahi: number, blo: number, bhi: number): [number, number, number] => {
    let besti = alo
    let bestj = blo
    let bestsize = 0
    let j2len = new Map<number, number>()
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>()
      for (const j of b2j.get(a[i] as string) ?? []) {
        if (j < blo) continue
        if (j >= bhi) break
        const k = (j2len.get(j - 1) ?? 0) + 1
        next.set(j, k)
        if (k > bestsize) {
          besti = i - k + 1
          bestj = j - k + 1
          bestsize = k
        }
      }
      j2len = next
    }
    return [besti, bestj, bestsize]
  }
  let total = 0
  const queue: Array<[number, number, number, number]> = [[0, a.length, 0, b.length]]
  while (queue.length > 0) {
    const [alo, ahi, blo, bhi] = queue.pop() as [number, number, number, number]
    const [i, j, k] = longest(alo, ahi, blo, bhi)
    if (k === 0) continue
    total += k
    if (alo < i && blo < j) queue.push([alo, i, blo, j])
    if (i + k < ahi && j + k < bhi) queue.push([i + k, ahi, j + k, bhi])
  }
  return total
}

function ratio(matches: number, length: number): number {
  return length === 0 ? 1 : (2 * matches) / length
}

/**
 * `difflib.get_close_matches(word, possibilities, n, cutoff)`: the best `n`
 * possibilities whose similarity ratio with `word` is at least `cutoff`,
 * best first (ties: the greater string first, as Python's `heapq.nlargest`).
 *
 * @example
 * closeMatches('instal', ['install', 'list', 'show'])   // ['install']
 */
export function closeMatches(word: string, possibilities: Iterable<string>, n = 3, cutoff = 0.6): string[] {
  const b = Array.from(word)
  const scored: Array<[number, string]> = []
  for (const possibility of possibilities) {
    const a = Array.from(possibility)
    const length = a.length + b.length
    if (ratio(Math.min(a.length, b.length), length) < cutoff) continue
    const counts = new Map<string, number>()
    for (const char of b) counts.set(char, (counts.get(char) ?? 0) + 1)
    let common = 0
    for (const char of a) {
      const left = counts.get(char) ?? 0
      if (left > 0) {
        common++
        counts.set(char, left - 1)
      }
    }
    if (ratio(common, length) < cutoff) continue
    const score = ratio(matchingCharacters(a, b), length)
    if (score >= cutoff) scored.push([score, possibility])
  }
  scored.sort((x, y) => (y[0] !== x[0] ? y[0] - x[0] : y[1] < x[1] ? -1 : y[1] > x[1] ? 1 : 0))
  return scored.slice(0, n).map(([, possibility]) => possibility)
}
