import type { Benchmark } from '../runner.js'
import { timeCommand } from '../runner.js'
import { pipetteBin, python } from '../paths.js'

export const startup: Benchmark = {
  name: 'startup',
  description: '`pipette --version` vs `node -e 0` (the floor) vs `python3 -m pip --version`',
  subject: 'pipette --version',
  setup: async () => [
    { name: 'pipette --version', round: () => timeCommand(process.execPath, [pipetteBin, '--version']) },
    { name: 'node -e 0', round: () => timeCommand(process.execPath, ['-e', '0']) },
    { name: 'pip --version', round: () => timeCommand(python, ['-m', 'pip', '--version']) },
  ],
  targets: { 'pip --version': 1 },
}
