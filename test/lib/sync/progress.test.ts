import { ProgressLog, progressIntervalMs } from '../../../lib/sync/progress';

describe('ProgressLog', () => {
	let now = 0;
	let lines: string[];
	const logger = { info: (line: string) => lines.push(line) };

	beforeEach(() => {
		now = 1_000;
		lines = [];
	});

	it('logs at the interval, not once per item', () => {
		const progress = new ProgressLog(logger, 'Google Drive export', { intervalMs: 10_000, now: () => now, total: 500 });
		for (let i = 0; i < 300; i++) {
			now += 100; // 30 s in all
			progress.add(i % 50 === 0 ? 'skipped' : 'exported');
		}
		expect(lines).toEqual([
			'Google Drive export: 98 exported, 2 skipped of 500 in 10 s so far',
			'Google Drive export: 196 exported, 4 skipped of 500 in 20 s so far',
			'Google Drive export: 294 exported, 6 skipped of 500 in 30 s so far',
		]);
	});

	it('ends with a summary line in a fixed counter order', () => {
		const progress = new ProgressLog(logger, 'Notion listChanges', { now: () => now });
		progress.add('deleted', 2);
		progress.add('listed', 1_200);
		now += 4_400;
		progress.done(', more on the next run');
		expect(lines).toEqual(['Notion listChanges: 1,200 listed, 2 deleted in 4 s, done, more on the next run']);
		expect(progress.count('listed')).toBe(1_200);
		expect(progress.count('failed')).toBe(0);
	});

	it('says so when nothing happened', () => {
		new ProgressLog(logger, 'Drive', { now: () => now }).done();
		expect(lines).toEqual(['Drive: nothing in 0 s, done']);
	});

	it('takes its interval from CONNECTORS_PROGRESS_INTERVAL_MS, 10 s when unset, and names the variable when it is bad', () => {
		expect(progressIntervalMs({})).toBe(10_000);
		expect(progressIntervalMs({ CONNECTORS_PROGRESS_INTERVAL_MS: ' 250 ' })).toBe(250);
		expect(progressIntervalMs({ CONNECTORS_PROGRESS_INTERVAL_MS: '0' })).toBe(0);
		expect(() => progressIntervalMs({ CONNECTORS_PROGRESS_INTERVAL_MS: '1.5s' })).toThrow(/CONNECTORS_PROGRESS_INTERVAL_MS.*"1\.5s"/);
	});

	it('logs every event with an interval of 0 from the environment', () => {
		const previous = process.env.CONNECTORS_PROGRESS_INTERVAL_MS;
		process.env.CONNECTORS_PROGRESS_INTERVAL_MS = '0';
		try {
			const progress = new ProgressLog(logger, 'Drive', { now: () => now });
			progress.add('listed', 2);
			progress.add('deleted');
			expect(lines).toEqual(['Drive: 2 listed in 0 s so far', 'Drive: 2 listed, 1 deleted in 0 s so far']);
		} finally {
			if (previous === undefined) delete process.env.CONNECTORS_PROGRESS_INTERVAL_MS;
			else process.env.CONNECTORS_PROGRESS_INTERVAL_MS = previous;
		}
	});
});
