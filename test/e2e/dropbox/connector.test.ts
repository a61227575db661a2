import * as path from 'node:path';

import { startFakeDropbox, type FakeDropbox, type IssuedDropboxTokens } from '../../fakes/dropboxApi';
import { IngestionEndpoint } from '../harness/ingestion';
import { N8nInstance, type WorkflowRun } from '../harness/n8n';
import { exportingIngestionPipeline, routedByCheck, workflowId } from '../harness/workflows';
import { DROPBOX_CONNECTOR, dropboxCredential, dropboxCredentials } from './credential';

/**
 * List Changes → Check → Export → ingestion → Commit on a Dropbox team folder in a real n8n, run
 * three times: the first import, a run after edits, a rename, a move out and a deletion with an
 * expired access token (n8n refreshes it), and a run the account-domain policy refuses.
 */
describe('Dropbox Connector in a real n8n', () => {
	let dropbox: FakeDropbox;
	let n8n: N8nInstance;
	let ingestion: IngestionEndpoint;
	let tokens: IssuedDropboxTokens;
	const id = workflowId('dropboxpipeline');
	const ids: Record<string, string> = {};
	let first: WorkflowRun;

	const names = (externalIds: string[]) => externalIds.map((externalId) => Object.keys(ids).find((name) => ids[name] === externalId)).sort();

	beforeAll(async () => {
		dropbox = await startFakeDropbox({ team: { name: 'Acme', memberFolder: 'Alice Smith' } });
		dropbox.addTeamFolder('Handbook');
		dropbox.addFolder('/Handbook/Policies');
		dropbox.addFolder('/Archive');
		ids.welcome = dropbox.addFile('/Handbook/welcome.md', '# Hi').id;
		ids.leave = dropbox.addFile('/Handbook/Policies/leave.pdf', '%PDF leave').id;
		ids.rules = dropbox.addFile('/Handbook/Policies/rules.md', 'rules').id;
		ids.onboarding = dropbox.addPaperDoc('/Handbook/Onboarding.paper', '# Onboarding\n\n- laptop').id;
		tokens = dropbox.issueTokens();

		ingestion = await new IngestionEndpoint().start();
		// The credential's token URL follows CONNECTORS_DROPBOX_API_URL, so n8n refreshes against the fake.
		n8n = await N8nInstance.create({ ...dropbox.env, CONNECTORS_PROGRESS_INTERVAL_MS: '0' });
		n8n.env.CONNECTORS_CACHE_PATH = path.join(n8n.userFolder, 'connectors-cache.sqlite');
		await n8n.importCredentials([dropboxCredential(dropbox, tokens)]);
		await n8n.importWorkflow(
			exportingIngestionPipeline(
				id,
				{
					name: 'List Changes',
					type: DROPBOX_CONNECTOR,
					parameters: { operation: 'listChanges', sourceFolder: { __rl: true, mode: 'list', value: `ns:${dropbox.rootNamespaceId}/Handbook` }, recursive: true },
					credentials: dropboxCredentials,
				},
				{ name: 'Export', type: DROPBOX_CONNECTOR, parameters: { operation: 'export' }, credentials: dropboxCredentials },
				ingestion.url,
			),
		);
		first = await n8n.execute(id);
	});

	afterAll(async () => {
		await n8n?.dispose();
		await ingestion?.close();
		await dropbox?.close();
	});

	afterEach(() => expect(dropbox.internalErrors).toEqual([]));

	it('imports the whole team folder on the first run: files as their bytes, the Paper doc as Markdown', () => {
		expect(first.status).toBe('success');
		expect(first.outputs['List Changes'][0].map((item) => item.path).sort()).toEqual(['/Onboarding.paper', '/Policies/leave.pdf', '/Policies/rules.md', '/welcome.md']);
		expect(names(routedByCheck(first.outputs).new)).toEqual(['leave', 'onboarding', 'rules', 'welcome']);
		const exported = first.outputs.Export[0];
		expect(exported.find((item) => item.external_id === ids.onboarding)).toMatchObject({ provider: 'dropbox', export_format: 'md', export_mime: 'text/markdown' });
		expect(exported.every((item) => /^[0-9a-f]{64}$/.test(String(item.content_hash)))).toBe(true);
		expect(ingestion.received).toHaveLength(4);
		const pathRoot = JSON.stringify({ '.tag': 'namespace_id', namespace_id: dropbox.rootNamespaceId });
		expect(dropbox.calls('files/download').every((call) => call.headers['dropbox-api-path-root'] === pathRoot)).toBe(true);
	});

	it('turns an edit, a rename, a move out and a deletion into upserts and deletions after n8n refreshed the expired token', async () => {
		dropbox.editFile('/Handbook/welcome.md', '# Hi again');
		dropbox.move('/Handbook/Policies/rules.md', '/Handbook/Policies/house rules.md');
		dropbox.move('/Handbook/Policies/leave.pdf', '/Archive/leave.pdf');
		dropbox.remove('/Handbook/Onboarding.paper');
		dropbox.expireAccessTokens();
		ingestion.received.length = 0;

		const second = await n8n.execute(id);

		expect(second.status).toBe('success');
		expect(dropbox.tokenRefreshCount).toBe(1);
		expect(second.outputs['List Changes'][0].map((item) => `${String(item.change)} ${String(item.path)}`).sort()).toEqual([
			'deleted /Onboarding.paper',
			'deleted /Policies/leave.pdf',
			'upsert /Policies/house rules.md',
			'upsert /welcome.md',
		]);
		const routed = routedByCheck(second.outputs);
		expect(names(routed.changed).sort()).toEqual(['rules', 'welcome']);
		// A rename keeps the file's content hash in Dropbox: only the path moved, a metadata-only change.
		const changed = Object.fromEntries(second.outputs.Check[1].map((item) => [String(item.path), [item.content_changed, item.changed_fields]]));
		expect(changed).toEqual({ '/Policies/house rules.md': [false, ['name', 'path']], '/welcome.md': [true, []] });
		expect(routed.unchanged).toEqual([]);
		expect(names(routed.deleted)).toEqual(['leave', 'onboarding']);
		expect(ingestion.received.map((document) => document.change).sort()).toEqual(['changed', 'changed', 'deleted', 'deleted']);
		const [stored] = await n8n.exportCredentials();
		expect((stored.data as { oauthTokenData: { refresh_token: string } }).oauthTokenData.refresh_token).toBe(tokens.refresh_token);
		expect(n8n.allLogs()).not.toContain(tokens.refresh_token);
	});

	it('refuses an account outside the allowed domains before listing anything', async () => {
		dropbox.resetRequestLog();
		const refused = await n8n.execute(id, { ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'corp.example', ORG_CONNECTORS_ENABLED_PROVIDERS: 'dropbox' });

		expect(refused.status).toBe('error');
		expect(refused.error?.message).toMatch(/^The Dropbox account alice@example\.com is not in a domain the org policy allows \(allowed: corp\.example\)/);
		expect(dropbox.calls('files/list_folder/continue')).toEqual([]);
	});
});
