/**
 * The order pip installs a set of requirements in (its resolver's
 * `get_installation_order`): packages with fewer dependencies first.
 *
 * pip builds the resolution graph (the root points at every user
 * requirement; a candidate points at its dependencies and, when it declares
 * Requires-Python, at one shared "Python" node, even with `--no-deps`), then
 * repeatedly removes the leaves, giving each round's leaves the weight
 * `vertices - 1` (so earlier rounds weigh more); whatever is left (cycles) is
 * weighted by its longest path from the root. Requirements are installed by
 * (weight, canonical name), both descending.
 */
import { compareCodePoints } from './record.js'

export interface OrderNode {
  /** Canonical name. */
  readonly name: string
  /** The distribution declares a non-empty Requires-Python. */
  readonly requiresPython: boolean
  /** Canonical names of the dependencies that are part of the resolution. */
  readonly dependencies: readonly string[]
}

const PYTHON_NODE = '<Python from Requires-Python>'
const ROOT = '\0root'

/** pip's installation order of `nodes` (all user requirements). */
export function installationOrder<T extends OrderNode>(nodes: readonly T[]): T[] {
  const children = new Map<string, Set<string>>()
  const keys = new Set(nodes.map((n) => n.name))
  children.set(ROOT, new Set(keys))
  for (const node of nodes) {
    const set = children.get(node.name) ?? new Set<string>()
    for (const dep of node.dependencies) if (keys.has(dep) && dep !== node.name) set.add(dep)
    if (node.requiresPython) {
      set.add(PYTHON_NODE)
      if (!children.has(PYTHON_NODE)) children.set(PYTHON_NODE, new Set())
    }
    children.set(node.name, set)
  }
  const weights = new Map<string, number>()
  for (;;) {
    const leaves = [...children.keys()].filter((key) => key !== ROOT && children.get(key)!.size === 0)
    if (leaves.length === 0) break
    const weight = children.size - 1
    for (const leaf of leaves) if (keys.has(leaf)) weights.set(leaf, weight)
    for (const leaf of leaves) {
      children.delete(leaf)
      for (const set of children.values()) set.delete(leaf)
    }
  }
  const path = new Set<string>()
  const visit = (node: string): void => {
    if (path.has(node)) return
    path.add(node)
    for (const child of children.get(node) ?? []) visit(child)
    path.delete(node)
    if (!keys.has(node)) return
    weights.set(node, Math.max(weights.get(node) ?? 0, path.size))
  }
  visit(ROOT)
  return [...nodes].sort((a, b) => weights.get(b.name)! - weights.get(a.name)! || compareCodePoints(b.name, a.name))
}
