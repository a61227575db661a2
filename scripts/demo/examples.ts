import * as fs from 'node:fs';
import * as path from 'node:path';

import type { WorkflowFixture } from '../../test/e2e/harness/n8n';

export const REPO_ROOT = path.resolve(__dirname, '../..');
const EXAMPLES = path.join(REPO_ROOT, 'examples');

export interface Example {
	/** The provider id of its connector (`google_drive`, `notion`, `dropbox`, `onedrive`). */
	provider: string;
	label: string;
	file: string;
	workflow: WorkflowFixture;
}

function load(file: string): WorkflowFixture {
	return JSON.parse(fs.readFileSync(path.join(EXAMPLES, file), 'utf8')) as WorkflowFixture;
}

/** The example workflows of examples/. */
export function examples(): Example[] {
	return [
		{ provider: 'google_drive', label: 'Google Drive', file: 'google-drive-folder-to-index.json', workflow: load('google-drive-folder-to-index.json') },
		{ provider: 'notion', label: 'Notion', file: 'notion-pages-to-index.json', workflow: load('notion-pages-to-index.json') },
		{ provider: 'dropbox', label: 'Dropbox', file: 'dropbox-folder-to-index.json', workflow: load('dropbox-folder-to-index.json') },
		{ provider: 'onedrive', label: 'OneDrive', file: 'onedrive-folder-to-index.json', workflow: load('onedrive-folder-to-index.json') },
	];
}

/** The example with its Config step pointing at another ingestion URL (the examples' only setting). */
export function withIngestionUrl(workflow: WorkflowFixture, url: string): WorkflowFixture {
	const copy = JSON.parse(JSON.stringify(workflow)) as WorkflowFixture;
	const config = copy.nodes.find((node) => node.name === 'Config') as
		| { parameters: { assignments: { assignments: Array<{ name: string; value: string }> } } }
		| undefined;
	const setting = config?.parameters.assignments.assignments.find((assignment) => assignment.name === 'ingestionUrl');
	if (!setting) throw new Error(`${workflow.name}: no Config step with an ingestionUrl`);
	setting.value = url;
	return copy;
}
