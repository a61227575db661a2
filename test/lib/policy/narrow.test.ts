import { InvalidInputError } from '../../../lib/errors';
import { checkFile, defaultPolicy, narrowPolicy, type OrgPolicy } from '../../../lib/policy';
import { providerIds } from '../../../lib/providers/registry';

const org: OrgPolicy = {
	...defaultPolicy(),
	enabledProviders: ['google_drive', 'notion'],
	allowedExportFormats: ['md', 'txt', 'pdf'],
	allowedFileTypes: ['pdf', 'md', 'text/*'],
	maxFileSizeMb: 100,
	maxFilesPerRun: 1000,
	paths: { ...Object.fromEntries(providerIds().map((id) => [id, { allow: null, deny: [] }])), google_drive: { allow: ['/Engineering/**'], deny: ['/HR/**'] }, notion: { allow: null, deny: [] } },
};

describe('narrowPolicy', () => {
	it('returns the org policy unchanged when the node narrows nothing', () => {
		expect(narrowPolicy(org, {})).toEqual({ policy: org, ignored: [] });
	});

	it('narrows providers, export formats, file types and limits within the org policy', () => {
		const { policy, ignored } = narrowPolicy(org, {
			enabledProviders: ['notion'],
			allowedExportFormats: ['md'],
			allowedFileTypes: ['text/plain', 'pdf'],
			maxFileSizeMb: 10,
			maxFilesPerRun: 50,
		});
		expect(policy).toMatchObject({
			enabledProviders: ['notion'],
			allowedExportFormats: ['md'],
			allowedFileTypes: ['text/plain', 'pdf'],
			maxFileSizeMb: 10,
			maxFilesPerRun: 50,
		});
		expect(ignored).toEqual([]);
	});

	it('drops requested values the org does not allow and reports each one', () => {
		const { policy, ignored } = narrowPolicy(org, {
			allowedExportFormats: ['md', 'docx'],
			allowedFileTypes: ['md', 'exe', 'application/*'],
		});
		expect(policy.allowedExportFormats).toEqual(['md']);
		expect(policy.allowedFileTypes).toEqual(['md']);
		expect(ignored).toEqual([
			{ setting: 'allowedExportFormats', value: 'docx', message: 'allowedExportFormats docx is ignored: the org policy allows only md, txt, pdf' },
			{ setting: 'allowedFileTypes', value: 'exe', message: 'allowedFileTypes exe is ignored: the org policy allows only pdf, md, text/*' },
			{
				setting: 'allowedFileTypes',
				value: 'application/*',
				message: 'allowedFileTypes application/* is ignored: the org policy allows only pdf, md, text/*',
			},
		]);
	});

	it('keeps the org limits when the node asks for larger ones, and reports them', () => {
		const { policy, ignored } = narrowPolicy(org, { maxFileSizeMb: 900, maxFilesPerRun: 5000 });
		expect(policy.maxFileSizeMb).toBe(100);
		expect(policy.maxFilesPerRun).toBe(1000);
		expect(ignored.map((entry) => entry.message)).toEqual([
			'maxFileSizeMb 900 is ignored: above the org limit of 100, which applies',
			'maxFilesPerRun 5000 is ignored: above the org limit of 1000, which applies',
		]);
	});

	it('sets a limit the org leaves unlimited', () => {
		expect(narrowPolicy(defaultPolicy(), { maxFilesPerRun: 20 }).policy.maxFilesPerRun).toBe(20);
	});

	it('narrows an org policy that allows any file type to the requested types', () => {
		expect(narrowPolicy(defaultPolicy(), { allowedFileTypes: ['PDF'] }).policy.allowedFileTypes).toEqual(['pdf']);
	});

	it('disables a provider the node asks for when the org does not enable it', () => {
		const { policy, ignored } = narrowPolicy({ ...org, enabledProviders: ['google_drive'] }, { enabledProviders: ['notion'] });
		expect(policy.enabledProviders).toEqual([]);
		expect(ignored).toHaveLength(1);
	});

	it('adds the node’s deny paths to every provider’s, keeping the org allow list', () => {
		const { policy } = narrowPolicy(org, { denyPaths: ['/Engineering/Drafts/'] });
		expect(policy.paths.google_drive).toEqual({ allow: ['/Engineering/**'], deny: ['/HR/**', '/Engineering/Drafts/**'] });
		expect(policy.paths.notion.deny).toEqual(['/Engineering/Drafts/**']);
		expect(checkFile(policy, 'google_drive', { path: '/Engineering/Drafts/a.md', name: 'a.md' })).toMatchObject({
			skipReason: 'policy_path',
		});
	});

	it('never widens: every file the narrowed policy allows, the org policy allows', () => {
		const { policy } = narrowPolicy(org, {
			allowedFileTypes: ['exe', 'text/*', '*/*'],
			maxFileSizeMb: 10_000,
			denyPaths: ['/Other/**'],
		});
		const files = [
			{ path: '/Engineering/a.exe', name: 'a.exe', mime: 'application/x-msdownload', size: 1 },
			{ path: '/Engineering/b.txt', name: 'b.txt', mime: 'text/plain', size: 200 * 1024 * 1024 },
			{ path: '/HR/c.txt', name: 'c.txt', mime: 'text/plain', size: 1 },
			{ path: '/Engineering/d.png', name: 'd.png', mime: 'image/png', size: 1 },
		];
		for (const file of files) {
			if (checkFile(policy, 'google_drive', file).allowed) expect(checkFile(org, 'google_drive', file).allowed).toBe(true);
		}
		expect(policy.allowedFileTypes).toEqual(['text/*']);
	});

	it.each([
		[{ allowedExportFormats: ['markdown'] }, 'allowedExportFormats'],
		[{ maxFileSizeMb: -1 }, 'maxFileSizeMb'],
		[{ maxFilesPerRun: 0.5 }, 'maxFilesPerRun'],
		[{ denyPaths: ['/Drafts/[x'] }, 'denyPaths'],
	])('rejects the malformed node value %j as an input error naming the setting', (narrowing, setting) => {
		expect(() => narrowPolicy(org, narrowing)).toThrow(InvalidInputError);
		expect(() => narrowPolicy(org, narrowing)).toThrow(`Policy narrowing "${setting}"`);
	});
});
