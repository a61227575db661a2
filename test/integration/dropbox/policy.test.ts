import { describePolicy, loadPolicy, type OrgPolicy } from '../../../lib/policy';
import { dropboxProvider, type DropboxConnection } from '../../../lib/providers/dropbox';
import { checkAccount, partitionByPolicy, planExport } from '../../../lib/sync';
import { startFakeDropbox, type FakeDropbox } from '../../fakes/dropboxApi';
import { folderSource, listingRuns, testConnection } from './helpers';

/** The org policy's rules over what the Dropbox provider lists: the engine applies them, the provider names no rule. */
describe('Dropbox items under the org policy', () => {
	let dropbox: FakeDropbox;
	let connection: DropboxConnection;

	beforeEach(async () => {
		dropbox = await startFakeDropbox({ email: 'alice@acme.example' });
		connection = testConnection(dropbox);
		dropbox.addFolder('/Docs');
		dropbox.addFolder('/Docs/HR');
		dropbox.addFile('/Docs/guide.pdf', '%PDF');
		dropbox.addFile('/Docs/big.pdf', Buffer.alloc(3 * 1024 * 1024));
		dropbox.addFile('/Docs/photo.png', 'png');
		dropbox.addFile('/Docs/HR/pay.pdf', '%PDF');
		dropbox.addPaperDoc('/Docs/Plan.paper', '# Plan');
	});

	afterEach(async () => {
		expect(dropbox.internalErrors).toEqual([]);
		await dropbox.close();
	});

	async function listed() {
		const runs = await listingRuns(dropbox, connection);
		try {
			return (await runs.run(folderSource('/Docs'), { commit: false })).items;
		} finally {
			await runs.close();
		}
	}

	const policyOf = (env: Record<string, string>, file?: unknown): OrgPolicy => loadPolicy(env, file === undefined ? undefined : () => JSON.stringify(file));

	it('is enabled by default and can be left out by the administrator', () => {
		expect(policyOf({}).enabledProviders).toContain('dropbox');
		expect(policyOf({ ORG_CONNECTORS_ENABLED_PROVIDERS: 'google_drive' }).enabledProviders).toEqual(['google_drive']);
	});

	it('skips files of types, sizes and paths the policy refuses, with stable reasons', async () => {
		const policy = policyOf(
			{ ORG_CONNECTORS_ALLOWED_FILE_TYPES: 'pdf,md', ORG_CONNECTORS_MAX_FILE_SIZE_MB: '2', ORG_CONNECTORS_POLICY_FILE: '/policy.json' },
			{ providers: { dropbox: { paths: { deny: ['/HR/**'] } } } },
		);
		const { allowed, skipped } = partitionByPolicy(policy, dropboxProvider, await listed());

		expect(allowed.map((item) => item.path)).toEqual(['/Plan.paper', '/guide.pdf']);
		expect(skipped.map((item) => [item.path, item.skip_reason])).toEqual([
			['/HR/pay.pdf', 'policy_path'],
			['/big.pdf', 'policy_size'],
			['/photo.png', 'policy_file_type'],
		]);
	});

	it('exports a Paper doc as Markdown by default, and to another format only when asked and allowed', async () => {
		const paper = (await listed()).find((item) => item.name === 'Plan.paper');
		if (!paper) throw new Error('no Paper doc listed');
		const allowAll = policyOf({});
		const onlyTxt = policyOf({ ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS: 'txt' });

		expect(planExport(allowAll, dropboxProvider, paper, {})).toMatchObject({ format: 'md' });
		expect(planExport(onlyTxt, dropboxProvider, paper, {})).toMatchObject({ allowed: false, skipReason: 'policy_export_format' });
		expect(planExport(onlyTxt, dropboxProvider, paper, { paper: 'txt' })).toMatchObject({ format: 'txt' });
		expect(describePolicy(allowAll).enabledProviders).toContain('dropbox');
	});

	it('checks the account e-mail against the allowed domains', async () => {
		const scope = { executionId: `policy-${Date.now()}`, credentialKey: 'test:policy' };
		await expect(checkAccount(policyOf({ ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'acme.example' }), dropboxProvider, connection, scope)).resolves.toMatchObject({ email: 'alice@acme.example' });
		await expect(checkAccount(policyOf({ ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'corp.example' }), dropboxProvider, connection, { ...scope, executionId: `${scope.executionId}-2` })).rejects.toThrow(
			/The Dropbox account alice@acme\.example is not in a domain the org policy allows \(allowed: corp\.example\)/,
		);
	});
});
