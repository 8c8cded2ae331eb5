/**
 * How `pipette install` (from indexes) prints: pip's lines for the events of
 * @pipette/installer, and a progress bar for downloads when the output is a
 * terminal (none when piped, as pip). Only formatting lives here.
 */
import { formatSize } from '@pipette/cache/format-size'
import { redactText, redactUrl } from '@pipette/errors'
import { displayPath as displayPathIn } from '@pipette/wheel/display-path'
import type { InstallEvent, PlannedDistribution } from '@pipette/installer'

export interface PrinterOptions {
  readonly out: (line: string) => void
  readonly err: (line: string) => void
  readonly quiet: boolean
  readonly verbose: boolean
  /** The stream progress is drawn on, when it is a terminal. */
  readonly tty: NodeJS.WriteStream | undefined
  readonly dryRun: boolean
  readonly cwd?: string | undefined
}

export interface Printer {
  readonly onEvent: (event: InstallEvent) => void
  /** Clears the progress line (before an error is printed, or at the end). */
  readonly stop: () => void
}

function localPath(url: string): string | undefined {
  if (!/^file:/i.test(url)) return undefined
  try {
    return decodeURIComponent(new URL(url.split('#', 1)[0]!).pathname)
  } catch {
    return undefined
  }
}

/** pip's download line names the file for PyPI's file host, else the whole URL (credentials redacted). */
function shownUrl(url: string, filename: string): string {
  try {
    if (new URL(url).host === 'files.pythonhosted.org') return filename
  } catch {
    return filename
  }
  return redactUrl(url.split('#', 1)[0]!)
}

function collectingLine(item: PlannedDistribution, cwd: string): string {
  const url = item.package.candidate.url
  const local = url === undefined ? undefined : localPath(url)
  if (local !== undefined && item.user !== undefined) return `Processing ${displayPath(local, cwd)}`
  return `Collecting ${item.requirementText}${item.comesFrom === undefined ? '' : ` (from ${item.comesFrom})`}`
}

export function createPrinter(options: PrinterOptions): Printer {
  const cwd = options.cwd ?? process.cwd()
  const say = (line: string) => {
    if (!options.quiet) {
      clear()
      options.out(line)
      draw()
    }
  }
  const warn = (line: string) => {
    clear()
    options.err(`WARNING: ${line}`)
    draw()
  }
  // Download progress: one line for all downloads in flight.
  const downloads = new Map<string, { received: number; size: number | undefined }>()
  let finishedBytes = 0
  let shown = false
  let lastDraw = 0
  const started = Date.now()
  const tty = options.quiet ? undefined : options.tty
  function clear() {
    if (tty !== undefined && shown) {
      tty.write('\r\x1b[2K')
      shown = false
    }
  }
  function draw(force = false) {
    if (tty === undefined || downloads.size === 0) return
    const now = Date.now()
    if (!force && now - lastDraw < 80) return
    lastDraw = now
    let received = finishedBytes
    let total = finishedBytes
    let known = true
    for (const d of downloads.values()) {
      received += d.received
      if (d.size === undefined) known = false
      else total += d.size
    }
    const width = 40
    const ratio = known && total > 0 ? Math.min(1, received / total) : 0
    const filled = Math.round(ratio * width)
    const seconds = Math.max(0.001, (now - started) / 1000)
    const bar = `\x1b[38;5;197m${'━'.repeat(filled)}\x1b[38;5;237m${'━'.repeat(width - filled)}\x1b[0m`
    const label = downloads.size === 1 ? [...downloads.keys()][0]! : `${downloads.size} files`
    tty.write(`\r\x1b[2K   ${bar} ${formatSize(received)}${known ? `/${formatSize(total)}` : ''} ${formatSize(received / seconds)}/s  ${label}`)
    shown = true
  }

  const onEvent = (event: InstallEvent): void => {
    switch (event.kind) {
      case 'ignored':
        return say(`Ignoring ${event.requirement.requirement.name}: markers '${event.marker}' don't match your environment`)
      case 'resolving':
        return undefined
      case 'resolved': {
        for (const item of event.collected) {
          if (item.action === 'keep') {
            const location = item.existing?.location ?? ''
            say(`Requirement already satisfied: ${item.requirementText} in ${displayPath(location, cwd)}${item.comesFrom === undefined ? '' : ` (from ${item.comesFrom})`} (${item.existing?.version ?? item.version.toString()})`)
          } else {
            say(collectingLine(item, cwd))
          }
        }
        return undefined
      }
      case 'download-start':
        downloads.set(event.filename, { received: 0, size: event.size })
        say(`Downloading ${shownUrl(event.url, event.filename)}${event.size === undefined ? '' : ` (${formatSize(event.size)})`}`)
        return draw(true)
      case 'download-progress': {
        const d = downloads.get(event.filename)
        if (d !== undefined) d.received = event.received
        return draw()
      }
      case 'download-done':
        downloads.delete(event.filename)
        finishedBytes += event.size
        if (downloads.size === 0) clear()
        return draw()
      case 'using-cached':
        if (options.verbose) say(`Using cached ${event.filename}${event.size === undefined ? '' : ` (${formatSize(event.size)})`}`)
        return undefined
      case 'building':
        return say(`Building wheel for ${event.name} (pyproject.toml): started`)
      case 'built':
        return say(`Building wheel for ${event.name} (pyproject.toml): finished with status 'done'`)
      case 'installing':
        if (!options.dryRun && event.names.length > 0) say(`Installing collected packages: ${event.names.join(', ')}`)
        return undefined
      case 'uninstalling':
        say(`  Attempting uninstall: ${event.name}`)
        say(`    Found existing installation: ${event.existing.name} ${event.existing.version}`)
        return say(`    Uninstalling ${event.existing.name}-${event.existing.version}:`)
      case 'uninstalled':
        return say(`      Successfully uninstalled ${event.existing.name}-${event.existing.version}`)
      case 'installed':
        return undefined
      case 'warning':
        return warn(redactText(event.message))
    }
  }
  return { onEvent, stop: clear }
}

/** pip's `display_path` against the working directory (`./x` inside it, else absolute). */
export function displayPath(path: string, cwd: string = process.cwd()): string {
  return displayPathIn(path, cwd)
}
