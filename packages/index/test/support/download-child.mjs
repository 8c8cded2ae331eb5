// A separate process that downloads one URL with the built library, printing
// "progress" once bytes arrive (the test kills it with SIGKILL mid-way).
import { createHttpClient, downloadFile } from '../../dist/index.js'

const [url, dest] = process.argv.slice(2)
const http = createHttpClient()
let told = false
await downloadFile({
  http,
  url,
  dest,
  onProgress: (received) => {
    if (!told && received > 0) {
      told = true
      process.stdout.write('progress\n')
    }
  },
})
await http.close()
