/**
 * `npm run demo`: the example workflows in a real n8n against the sandbox, three times — a first
 * import, a run with nothing new, and a run after one document was edited and one deleted upstream
 * — then a summary. Exits non-zero when a run does not do what the summary promises.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { WorkflowRun } from '../../test/e2e/harness/n8n';
import { REPO_ROOT, examples, withIngestionUrl, type Example } from './examples';
import { N8nCli, n8nEnvironment } from './n8nCli';
import { startSandbox, type Sandbox } from './sandbox';

/** What one run of an example did, from its nodes' outputs. */
export interface RunCounts {
	listed: number;
	new: number;
	changed: number;
	unchanged: number;
	deleted: number;
	indexed: number;
	/** Documents whose name, path or permissions were updated in the index without sending their content. */
	metadataUpdated: number;
	removed: number;
	skipped: Array<{ name: string; reason: string }>;
	/** Items handed back to the next run: export failures (Export hands them back) and index refusals (Release does). */
	failed: number;
	/** The first failure's message, when some item was not ingested. */
	firstFailure?: string;
}

/** The example workflows' failure branches: Export's own, and the Release step the index's refusals go to. */
export const FAILED_EXPORTS = 'Export Failed (Retried Next Run)';
export const RELEASED = 'Not Ingested (Retry Next Run)';

const count = (run: WorkflowRun, node: string, output = 0) => run.outputs[node]?.[output]?.length ?? 0;

export function countsOf(run: WorkflowRun): RunCounts {
	const skipped = [...(run.outputs['Skipped by Policy']?.[0] ?? []), ...(run.outputs['Skipped by Export']?.[0] ?? [])];
	return {
		listed: count(run, 'List Changes'),
		new: count(run, 'Check', 0),
		changed: count(run, 'Check', 1),
		unchanged: count(run, 'Check', 2),
		deleted: count(run, 'Check', 3),
		indexed: count(run, 'Send to Index'),
		metadataUpdated: count(run, 'Update Index Metadata'),
		removed: count(run, 'Commit Deletions'),
		skipped: skipped.map((item) => ({ name: String(item.name), reason: String(item.skip_reason) })),
		failed: count(run, FAILED_EXPORTS) + count(run, RELEASED),
		firstFailure: failureMessage(run.outputs[FAILED_EXPORTS]?.[0]?.[0] ?? run.outputs[RELEASED]?.[0]?.[0]),
	};
}

function failureMessage(item: Record<string, unknown> | undefined): string | undefined {
	if (!item) return undefined;
	const error = item.error as string | { message?: string } | undefined;
	const message = typeof error === 'string' ? error : (error?.message ?? JSON.stringify(item));
	return `${String(item.name ?? item.external_id ?? 'an item')}: ${message}`;
}

function describeRun(counts: RunCounts): string {
	const parts = [`${counts.new} new`, `${counts.changed} changed`, `${counts.deleted} deleted`];
	if (counts.unchanged) parts.push(`${counts.unchanged} unchanged`);
	let text = `listed ${counts.listed}: ${parts.join(', ')} → indexed ${counts.indexed}, removed ${counts.removed}`;
	if (counts.metadataUpdated) text += `, metadata updated ${counts.metadataUpdated}`;
	if (counts.skipped.length) text += `; skipped ${counts.skipped.map((s) => `"${s.name}" (${s.reason})`).join(', ')}`;
	if (counts.failed) text += `; ${counts.failed} not ingested, retried next run (${counts.firstFailure ?? 'no detail'})`;
	return text;
}

function say(line = ''): void {
	process.stdout.write(`${line}\n`);
}

async function runExample(n8n: N8nCli, example: Example, label: string): Promise<RunCounts> {
	const started = Date.now();
	const run = await n8n.execute(example.workflow.id);
	if (run.status !== 'success') {
		const nodeErrors = Object.entries(run.nodeErrors).map(([node, error]) => `${node}: ${error.message}`);
		throw new Error(`${example.label} ${label} failed: ${run.error?.message ?? 'unknown error'}\n${nodeErrors.join('\n')}`);
	}
	const counts = countsOf(run);
	say(`  ${example.label.padEnd(12)} ${label.padEnd(13)} ${describeRun(counts)}  (${((Date.now() - started) / 1000).toFixed(0)} s)`);
	return counts;
}

/** A few indexed documents of different kinds, to show what an index receives. */
function sampleDocuments(sandbox: Sandbox) {
	const documents = sandbox.index.list();
	const pick = (test: (mime: string, path: string) => boolean) => documents.find((document) => test(document.mime, document.path));
	return [
		pick((mime, p) => mime.startsWith('text/plain') && p.includes('Onboarding')),
		pick((mime) => mime.startsWith('text/csv')),
		pick((mime) => mime === 'application/pdf'),
		pick((mime, p) => mime.startsWith('text/markdown') && p.includes('Getting started')),
	].filter((document) => document !== undefined);
}

export async function main(n8nBin: string): Promise<number> {
	const started = Date.now();
	const sandbox: Sandbox = await startSandbox();
	const userFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'connectors-demo-'));
	const problems: string[] = [];
	try {
		say(`Sandbox: a fake Google Drive (folder "${sandbox.drive.folderName}"), a fake Notion (page "${sandbox.notion.rootTitle}"),`);
		say(`a fake Dropbox (team folder "${sandbox.dropbox.seed.folderName}"),`);
		say(`a fake OneDrive (folder "${sandbox.oneDrive.folderName}"),`);
		say(`and a document index at ${sandbox.index.url}. n8n runs in ${userFolder}.`);
		say('');
		const install = spawnSync('bash', [path.join(REPO_ROOT, 'scripts/install-package.sh'), userFolder], { encoding: 'utf8' });
		if (install.status !== 0) throw new Error(`installing the package into n8n failed:\n${install.stderr}`);

		const n8n = new N8nCli(n8nBin, userFolder, n8nEnvironment(userFolder, { ...sandbox.env, N8N_ENCRYPTION_KEY: randomBytes(24).toString('hex') }));
		const demos = examples();
		await n8n.importCredentials(sandbox.credentials());
		await n8n.importWorkflows(demos.map((example) => withIngestionUrl(example.workflow, sandbox.index.url)));
		say(`Imported ${demos.map((example) => `examples/${example.file}`).join(', ')} into n8n.`);
		say('');

		const results = new Map<Example, RunCounts[]>();
		const runAll = async (label: string) => {
			for (const example of demos) results.set(example, [...(results.get(example) ?? []), await runExample(n8n, example, label)]);
		};
		say('Run 1, the first import:');
		await runAll('run 1');
		say('Run 2, nothing changed upstream:');
		await runAll('run 2');
		const edits = sandbox.editUpstream();
		say('Upstream, between two runs:');
		say(`  Google Drive  edited "${edits.drive.edited}", trashed "${edits.drive.deleted}"`);
		say(`  Notion        edited "${edits.notion.edited}", archived "${edits.notion.deleted}"`);
		say(`  Dropbox       edited "${edits.dropbox.edited}", deleted "${edits.dropbox.deleted}"`);
		say(`  OneDrive      edited "${edits.oneDrive.edited}", deleted "${edits.oneDrive.deleted}"`);
		say('Run 3, after the edits:');
		await runAll('run 3');

		const drive = demos.find((example) => example.provider === 'google_drive');
		let renamed: RunCounts | undefined;
		if (drive !== undefined) {
			const change = sandbox.renameUpstream();
			say(`Upstream, only metadata: Google Drive folder "${change.renamedFolder}" renamed "${change.to}", "${change.shared}" shared with the domain`);
			say('Run 4, metadata only (paths and permissions updated in the index, nothing downloaded again):');
			renamed = await runExample(n8n, drive, 'run 4');
		}

		say('');
		say('Summary');
		for (const example of demos) {
			const [first, second, third] = results.get(example) ?? [];
			const expected = sandbox.importable[example.provider];
			say(
				`  ${example.label.padEnd(12)} imported ${first.indexed}; second run: ${second.new} new, ${second.changed} changed; ` +
					`after the edit: ${third.changed} changed; deleted: ${third.removed}`,
			);
			if (first.indexed !== expected) problems.push(`${example.label}: run 1 indexed ${first.indexed} documents, expected ${expected}`);
			if (second.new + second.changed + second.deleted !== 0) problems.push(`${example.label}: run 2 found changes in an unchanged source`);
			if (third.changed !== 1 || third.indexed !== 1) problems.push(`${example.label}: run 3 indexed ${third.indexed} changed document(s), expected 1`);
			if (third.removed !== 1) problems.push(`${example.label}: run 3 removed ${third.removed} document(s), expected 1`);
		}
		if (renamed !== undefined) {
			const expected = sandbox.drive.folders.people.files + 1;
			say(`  Google Drive after the rename: ${renamed.metadataUpdated} metadata-only updates, ${renamed.indexed} documents sent again`);
			if (renamed.metadataUpdated !== expected || renamed.indexed !== 0) {
				problems.push(`Google Drive: run 4 updated the metadata of ${renamed.metadataUpdated} documents and sent ${renamed.indexed} again, expected ${expected} and 0`);
			}
		}
		const stats = sandbox.index.stats;
		say(`  Index        ${stats.documents} documents (${stats.upserts} upserts, ${stats.metadataUpdates} metadata updates, ${stats.deletes} deletes), for example:`);
		for (const document of sampleDocuments(sandbox)) {
			say(`    ${document.path} (${document.mime}, ${document.bytes} bytes)${document.preview ? `: ${document.preview.slice(0, 60)}…` : ''}`);
		}
		say(`  Done in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
		for (const problem of problems) say(`  UNEXPECTED: ${problem}`);
		say('');
		say('Next: `npm start` opens these workflows in the n8n editor against the same sandbox (http://localhost:5678).');
		return problems.length === 0 ? 0 : 1;
	} finally {
		await sandbox.close();
		if (!process.env.CONNECTORS_DEMO_KEEP) fs.rmSync(userFolder, { recursive: true, force: true });
	}
}
