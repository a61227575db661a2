import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { N8nInstance } from './harness/n8n';

/** The harness itself, against a stand-in for the n8n binary. */
describe('the n8n CLI harness', () => {
	const binBefore = process.env.CONNECTORS_E2E_N8N_BIN;
	let folder: string;

	beforeEach(() => {
		folder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-harness-'));
	});

	afterEach(() => {
		process.env.CONNECTORS_E2E_N8N_BIN = binBefore;
		fs.rmSync(folder, { recursive: true, force: true });
	});

	/** A stand-in that says its broker port is taken the first `taken` times, then succeeds; each start is counted. */
	function standIn(taken: number): { calls: () => number } {
		const counter = path.join(folder, 'calls');
		const bin = path.join(folder, 'n8n');
		fs.writeFileSync(
			bin,
			[
				'#!/bin/sh',
				`echo x >> '${counter}'`,
				`if [ "$(wc -l < '${counter}')" -le ${taken} ]; then`,
				`  echo "n8n Task Broker's port $N8N_RUNNERS_BROKER_PORT is already in use. Do you have another instance of n8n running already?"`,
				'  exit 1',
				'fi',
				'echo done',
			].join('\n'),
			{ mode: 0o755 },
		);
		process.env.CONNECTORS_E2E_N8N_BIN = bin;
		return { calls: () => (fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').filter(Boolean).length : 0) };
	}

	it('runs a command again on another port when n8n finds its broker port taken', async () => {
		const bin = standIn(1);
		const n8n = await N8nInstance.inFolder(folder);
		const result = await n8n.cli(['execute', '--id=x']);
		expect([result.code, result.stdout.trim(), bin.calls()]).toEqual([0, 'done', 2]);
	});

	it('gives up after three attempts and hands back what n8n said', async () => {
		const bin = standIn(10);
		const n8n = await N8nInstance.inFolder(folder);
		const result = await n8n.cli(['execute', '--id=x']);
		expect(result.code).toBe(1);
		expect(result.stdout).toContain('already in use');
		expect(bin.calls()).toBe(3);
	});
});
