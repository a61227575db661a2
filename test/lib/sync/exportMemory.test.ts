import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const MB = 1024 * 1024;

/**
 * A large export's chunks, once handed on, are freed as the export goes. Without help V8 frees
 * them only when its young generation fills or 64 MB of buffers await it: 256 MiB streamed held
 * about 70 MB. Run in a process of its own with n8n's size of young generation (32 MB semi-spaces),
 * so the figure is the export path's alone.
 */
describe('memory of a large export', () => {
	it('holds under 32 MB of buffers while 256 MiB stream through meteredBody to a writer', () => {
		const child = spawnSync(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', path.join(__dirname, 'exportMemory.child.ts')], {
			env: { ...process.env, CONNECTORS_TEST_MIB: '256' },
			encoding: 'utf8',
			timeout: 60_000,
		});
		expect(child.stderr).toBe('');
		const peakBytes = Number(child.stdout);
		expect(peakBytes).toBeGreaterThan(0);
		expect(peakBytes).toBeLessThan(32 * MB);
	});
});
