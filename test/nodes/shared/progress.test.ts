import { ProgressLog } from '../../../nodes/shared/progress';

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
});
