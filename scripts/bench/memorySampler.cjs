// Preloaded into the n8n process by the n8n-export bench (NODE_OPTIONS=--require): writes the peak
// V8 heap and ArrayBuffer memory of this process, so the bench can tell JS objects from byte buffers.
const fs = require('node:fs');
const path = require('node:path');

const dir = process.env.CONNECTORS_BENCH_MEMORY_DIR;
if (dir) {
	const peak = { heapUsed: 0, arrayBuffers: 0, external: 0 };
	const timer = setInterval(() => {
		const usage = process.memoryUsage();
		for (const key of Object.keys(peak)) peak[key] = Math.max(peak[key], usage[key]);
		fs.writeFileSync(path.join(dir, `${process.pid}.json`), JSON.stringify(peak));
	}, 100);
	timer.unref();
}
