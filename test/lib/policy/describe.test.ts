import { defaultPolicy, describePolicy, loadPolicy } from '../../../lib/policy';
import { providerIds } from '../../../lib/providers/registry';

describe('describePolicy', () => {
	it('spells out any and unlimited for the settings the default policy leaves open', () => {
		expect(describePolicy(defaultPolicy())).toEqual({
			enabledProviders: providerIds(),
			allowedExportFormats: ['md', 'txt', 'csv', 'pdf'],
			allowedFileTypes: 'any',
			maxFileSizeMb: 500,
			maxFileSizeBytes: 524288000,
			allowedAccountDomains: 'any',
			allowedNotionWorkspaces: 'any',
			maxFilesPerRun: 'unlimited',
			maxConcurrentRuns: 'unlimited',
			paths: Object.fromEntries(providerIds().map((id) => [id, { allow: 'any', deny: [] }])),
			policyFile: null,
		});
	});

	it('shows the effective restricted values and survives a JSON round trip unchanged', () => {
		const policy = loadPolicy(
			{
				ORG_CONNECTORS_POLICY_FILE: '/policy.json',
				ORG_CONNECTORS_ALLOWED_FILE_TYPES: 'pdf',
				ORG_CONNECTORS_MAX_FILES_PER_RUN: '10',
			},
			() => JSON.stringify({ allowedAccountDomains: ['example.com'], providers: { notion: { paths: { allow: ['/Wiki/**'] } } } }),
		);
		const description = describePolicy(policy);
		expect(description).toMatchObject({
			allowedFileTypes: ['pdf'],
			allowedAccountDomains: ['example.com'],
			maxFilesPerRun: 10,
			paths: { notion: { allow: ['/Wiki/**'], deny: [] } },
			policyFile: '/policy.json',
		});
		expect(JSON.parse(JSON.stringify(description))).toEqual(description);
	});
});
