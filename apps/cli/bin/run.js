#!/usr/bin/env node
// Entry point of the `pipette` binary. `--version` is answered here, before
// oclif loads, because start-up time is part of the product.
import { runCli } from '../dist/main.js'

await runCli(process.argv.slice(2), import.meta.url)
