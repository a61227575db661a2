import {
	assertAccountAllowed,
	assertProviderEnabled,
	checkFile,
	concurrentRunsError,
	defaultPolicy,
	type OrgPolicy,
	PolicyViolationError,
	resolveExportFormat,
} from '../../../lib/policy';

const MB = 1024 * 1024;

function policyWith(overrides: Partial<OrgPolicy>): OrgPolicy {
	return { ...defaultPolicy(), ...overrides };
}

function drivePaths(allow: string[] | null, deny: string[]): OrgPolicy {
	return policyWith({ paths: { ...defaultPolicy().paths, google_drive: { allow, deny } } });
}

const pdf = { path: '/Engineering/spec.pdf', name: 'spec.pdf', mime: 'application/pdf', size: 1000 };

describe('checkFile paths', () => {
	const policy = drivePaths(['/Engineering/**', '/Shared/*.md'], ['/HR/**', '/Engineering/Secret/**']);

	it('allows a file inside an allowed folder at any depth', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, path: '/Engineering/a/b/c/spec.pdf' })).toEqual({ allowed: true });
	});

	it('refuses a file outside every allowed path, naming the path and the allow list', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, path: '/Sales/plan.pdf' })).toEqual({
			allowed: false,
			skipReason: 'policy_path',
			skipDetail: '/Sales/plan.pdf is outside the paths the org policy allows (/Engineering/**, /Shared/*.md)',
		});
	});

	it('lets deny win over allow', () => {
		const decision = checkFile(policy, 'google_drive', { ...pdf, path: '/Engineering/Secret/keys.pdf' });
		expect(decision).toEqual({
			allowed: false,
			skipReason: 'policy_path',
			skipDetail: '/Engineering/Secret/keys.pdf is in a path the org policy denies (/Engineering/Secret/**)',
		});
	});

	it('denies everything under a denied folder, hidden files and differently cased names included', () => {
		const deny = drivePaths(null, ['/HR/**']);
		for (const path of ['/HR/salaries.xlsx', '/HR/2024/q1/.hidden.pdf', '/hr/Reviews/a.pdf']) {
			expect(checkFile(deny, 'google_drive', { ...pdf, path })).toMatchObject({ allowed: false, skipReason: 'policy_path' });
		}
	});

	it('refuses a path too long for the path rules to check instead of matching it', () => {
		const rules = drivePaths(null, ['**/*a*a*a*b']);
		const longName = `/${'a'.repeat(1_025)}.pdf`;
		const deepPath = `/${Array.from({ length: 1_300 }, () => 'folder').join('/')}/a.pdf`;
		expect(checkFile(rules, 'google_drive', { ...pdf, path: longName })).toMatchObject({
			allowed: false,
			skipReason: 'policy_path',
			skipDetail: expect.stringContaining('a name in its path is 1029 characters long, over the 1024 the path rules check'),
		});
		expect(checkFile(rules, 'google_drive', { ...pdf, path: deepPath })).toMatchObject({
			allowed: false,
			skipDetail: expect.stringContaining('over the 8192 the path rules check'),
		});
		expect(checkFile(drivePaths(null, []), 'google_drive', { ...pdf, path: longName }).allowed).toBe(true);
	});

	it('does not deny a sibling folder whose name merely starts like the denied one', () => {
		expect(checkFile(drivePaths(null, ['/HR/**']), 'google_drive', { ...pdf, path: '/HRIS/report.pdf' })).toEqual({
			allowed: true,
		});
	});

	it('matches a pattern without a folder against the path from the root only, not at any depth', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, path: '/Shared/notes.md', name: 'notes.md' }).allowed).toBe(true);
		expect(checkFile(policy, 'google_drive', { ...pdf, path: '/Shared/deep/notes.md', name: 'notes.md' }).allowed).toBe(false);
	});

	it('matches a ** pattern at any depth', () => {
		const deny = drivePaths(null, ['**/drafts/**']);
		expect(checkFile(deny, 'google_drive', { ...pdf, path: '/a/b/drafts/x.pdf' }).allowed).toBe(false);
		expect(checkFile(deny, 'google_drive', { ...pdf, path: '/drafts/x.pdf' }).allowed).toBe(false);
		expect(checkFile(deny, 'google_drive', { ...pdf, path: '/a/final/x.pdf' }).allowed).toBe(true);
	});

	it('applies one provider’s path rules to that provider only', () => {
		expect(checkFile(drivePaths(null, ['/HR/**']), 'notion', { ...pdf, path: '/HR/page' }).allowed).toBe(true);
	});

	it('refuses every path when the allow list is empty', () => {
		expect(checkFile(drivePaths([], []), 'google_drive', pdf)).toMatchObject({
			skipDetail: '/Engineering/spec.pdf is outside the paths the org policy allows (none)',
		});
	});
});

describe('checkFile file types', () => {
	const policy = policyWith({ allowedFileTypes: ['pdf', 'md', 'text/*'] });

	it('allows a file by its extension, whatever its case', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, name: 'SPEC.PDF', mime: 'application/octet-stream' })).toEqual({
			allowed: true,
		});
	});

	it('allows a file by its MIME type matching a wildcard, whatever its extension', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, name: 'notes.log', mime: 'text/plain; charset=utf-8' }).allowed).toBe(true);
	});

	it('refuses a file whose extension and MIME type both miss, naming them and the allowed types', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, name: 'report.exe', mime: 'application/x-msdownload' })).toEqual({
			allowed: false,
			skipReason: 'policy_file_type',
			skipDetail: 'report.exe (application/x-msdownload) is not an allowed file type: allowed are pdf, md, text/*',
		});
	});

	it('does not take a name that ends in the letters of an extension for that extension', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, name: 'notapdf', mime: null }).allowed).toBe(false);
	});

	it('allows a Google-native file by a MIME pattern such as application/vnd.google-apps.*', () => {
		const google = policyWith({ allowedFileTypes: ['application/vnd.google-apps.*'] });
		const doc = { path: '/Q3 plan', name: 'Q3 plan', mime: 'application/vnd.google-apps.document', size: null };
		expect(checkFile(google, 'google_drive', doc).allowed).toBe(true);
		expect(checkFile(google, 'google_drive', { ...doc, mime: 'application/vnd.google-apps-other' }).allowed).toBe(false);
	});

	it('allows a file with no extension of its own by the format it will be exported to', () => {
		const page = { path: '/Wiki/Onboarding', name: 'Onboarding', mime: null, size: null };
		expect(checkFile(policy, 'notion', { ...page, exportFormat: 'md' }).allowed).toBe(true);
		expect(checkFile(policy, 'notion', { ...page, exportFormat: 'docx' }).allowed).toBe(false);
	});

	it('matches a multi-part extension entry such as tar.gz', () => {
		const archives = policyWith({ allowedFileTypes: ['tar.gz'] });
		expect(checkFile(archives, 'google_drive', { ...pdf, name: 'backup.tar.gz', mime: null }).allowed).toBe(true);
		expect(checkFile(archives, 'google_drive', { ...pdf, name: 'backup.gz', mime: null }).allowed).toBe(false);
	});

	it('allows any file type when the policy sets none', () => {
		expect(checkFile(defaultPolicy(), 'google_drive', { ...pdf, name: 'tool.exe', mime: 'application/x-msdownload' }).allowed).toBe(true);
	});
});

describe('checkFile size', () => {
	const policy = policyWith({ maxFileSizeMb: 2 });

	it('allows a file of exactly the maximum size', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, size: 2 * MB })).toEqual({ allowed: true });
	});

	it('refuses a file one byte over the maximum size, naming its size and the limit', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, size: 2 * MB + 1 })).toEqual({
			allowed: false,
			skipReason: 'policy_size',
			skipDetail: 'spec.pdf is 2,097,153 bytes, over the org limit of 2 MB (2,097,152 bytes)',
		});
	});

	it('counts a fractional megabyte limit in whole bytes', () => {
		const half = policyWith({ maxFileSizeMb: 0.5 });
		expect(checkFile(half, 'google_drive', { ...pdf, size: 524288 }).allowed).toBe(true);
		expect(checkFile(half, 'google_drive', { ...pdf, size: 524289 }).allowed).toBe(false);
	});

	it('allows a file whose size is not known yet (the download is capped instead)', () => {
		expect(checkFile(policy, 'google_drive', { ...pdf, size: null }).allowed).toBe(true);
	});

	it('reports the path rule before the type and size rules when several refuse', () => {
		const strict = policyWith({
			maxFileSizeMb: 1,
			allowedFileTypes: ['md'],
			paths: { ...defaultPolicy().paths, google_drive: { allow: null, deny: ['/Engineering/**'] } },
		});
		expect(checkFile(strict, 'google_drive', { ...pdf, size: 5 * MB })).toMatchObject({ skipReason: 'policy_path' });
		expect(checkFile({ ...strict, paths: defaultPolicy().paths }, 'google_drive', { ...pdf, size: 5 * MB })).toMatchObject({
			skipReason: 'policy_file_type',
		});
	});
});

describe('resolveExportFormat', () => {
	const policy = policyWith({ allowedExportFormats: ['md', 'txt', 'pdf'] });

	it('uses the default format when no override is requested', () => {
		expect(resolveExportFormat(policy, undefined, 'txt')).toEqual({ allowed: true, format: 'txt' });
	});

	it('uses an allowed override', () => {
		expect(resolveExportFormat(policy, 'PDF', 'txt')).toEqual({ allowed: true, format: 'pdf' });
	});

	it('falls back to the default when the override is outside the policy, and reports the ignored override', () => {
		expect(resolveExportFormat(policy, 'docx', 'txt')).toEqual({ allowed: true, format: 'txt', ignoredOverride: 'docx' });
	});

	it('skips the item when neither the override nor the default is allowed', () => {
		expect(resolveExportFormat(policy, 'docx', 'csv')).toEqual({
			allowed: false,
			skipReason: 'policy_export_format',
			skipDetail: 'the org policy does not allow exporting to docx (nor the default csv): allowed formats are md, txt, pdf',
		});
	});

	it('skips the item when the default is not allowed and there is no override', () => {
		expect(resolveExportFormat(policy, undefined, 'csv')).toMatchObject({
			allowed: false,
			skipDetail: 'the org policy does not allow exporting to csv: allowed formats are md, txt, pdf',
		});
	});
});

describe('assertProviderEnabled', () => {
	it('passes for an enabled provider', () => {
		expect(() => assertProviderEnabled(defaultPolicy(), 'notion')).not.toThrow();
	});

	it('fails for a disabled provider, naming it, the enabled ones and the variable to change', () => {
		const policy = policyWith({ enabledProviders: ['google_drive'] });
		expect(() => assertProviderEnabled(policy, 'notion')).toThrow(
			expect.objectContaining({
				code: 'policy_provider_disabled',
				message:
					'The Notion connector is disabled by the org policy (enabled providers: google_drive) — ask your n8n ' +
					'administrator to add notion to ORG_CONNECTORS_ENABLED_PROVIDERS.',
			}),
		);
	});

	it('points at the policy file too when the policy came from one', () => {
		const policy = policyWith({ enabledProviders: [], policyFile: '/etc/policy.json' });
		expect(() => assertProviderEnabled(policy, 'google_drive')).toThrow(
			/enabled providers: none\) — ask your n8n administrator to add google_drive to ORG_CONNECTORS_ENABLED_PROVIDERS \(and "enabledProviders" in the policy file \/etc\/policy.json\)/,
		);
	});
});

describe('assertAccountAllowed', () => {
	const WORKSPACE = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
	const domains = policyWith({ allowedAccountDomains: ['example.com', '*.corp.example.org'] });

	it('passes an account in an allowed domain, whatever the case of its e-mail', () => {
		expect(() => assertAccountAllowed(domains, 'google_drive', { email: 'Alice@EXAMPLE.com' })).not.toThrow();
	});

	it('passes an account in any subdomain of a *.domain entry', () => {
		expect(() => assertAccountAllowed(domains, 'google_drive', { email: 'bob@eu.hq.corp.example.org' })).not.toThrow();
	});

	it('refuses the bare domain of a *.domain entry and subdomains of an exact entry', () => {
		for (const email of ['bob@corp.example.org', 'bob@mail.example.com']) {
			expect(() => assertAccountAllowed(domains, 'google_drive', { email })).toThrow(PolicyViolationError);
		}
	});

	it('refuses an account in another domain, naming the account, the allowed domains and what to do', () => {
		expect(() => assertAccountAllowed(domains, 'google_drive', { email: 'mallory@gmail.com' })).toThrow(
			expect.objectContaining({
				code: 'policy_account_domain',
				message:
					'The Google Drive account mallory@gmail.com is not in a domain the org policy allows (allowed: example.com, ' +
					'*.corp.example.org) — connect an account from an allowed domain, or ask your n8n administrator to add ' +
					'its domain to ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS.',
			}),
		);
	});

	it('refuses an account whose e-mail is unknown when domains are restricted', () => {
		expect(() => assertAccountAllowed(domains, 'notion', { workspaceId: WORKSPACE })).toThrow(
			/The Notion account's e-mail is unknown, so it is not in a domain the org policy allows/,
		);
	});

	it('passes any account when domains and workspaces are not restricted', () => {
		expect(() => assertAccountAllowed(defaultPolicy(), 'notion', {})).not.toThrow();
	});

	const workspaces = policyWith({ allowedNotionWorkspaces: [WORKSPACE] });

	it('passes an allowed Notion workspace, its id written without dashes', () => {
		expect(() => assertAccountAllowed(workspaces, 'notion', { workspaceId: '0F1E2D3C4B5A69788796A5B4C3D2E1F0' })).not.toThrow();
	});

	it('refuses another Notion workspace, naming it and the allowed ids', () => {
		const other = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
		expect(() => assertAccountAllowed(workspaces, 'notion', { workspaceId: other, workspaceName: 'Side Project' })).toThrow(
			expect.objectContaining({
				code: 'policy_notion_workspace',
				message: expect.stringContaining(
					`The Notion workspace "Side Project" (${other}) is not a workspace the org policy allows (allowed: ${WORKSPACE})`,
				),
			}),
		);
	});

	it('refuses a Notion account with no workspace id when workspaces are restricted', () => {
		expect(() => assertAccountAllowed(workspaces, 'notion', { workspaceName: 'Acme' })).toThrow(
			expect.objectContaining({ code: 'policy_notion_workspace' }),
		);
	});

	it('does not apply the Notion workspace rule to Google Drive', () => {
		expect(() => assertAccountAllowed(workspaces, 'google_drive', { email: 'a@example.com' })).not.toThrow();
	});
});

describe('concurrentRunsError', () => {
	const running = Array.from({ length: 7 }, (_, index) => ({ executionId: String(100 + index), acquiredAt: `2026-01-01T00:0${index}:00.000Z` }));

	it('names the running executions, the limit and the variable to raise', () => {
		const error = concurrentRunsError(policyWith({ maxConcurrentRuns: 2 }), 'notion', running.slice(0, 2));
		expect(error).toBeInstanceOf(PolicyViolationError);
		expect(error.code).toBe('policy_concurrent_runs');
		expect(error.message).toBe(
			'The Notion connector already has 2 run(s) in progress (execution 100 since 2026-01-01T00:00:00.000Z; ' +
				'execution 101 since 2026-01-01T00:01:00.000Z) and the org policy allows at most 2 at a time — retry once one ' +
				'of them has finished (a run ends when Connector Dedup has committed its items), or ask your n8n administrator ' +
				'to raise ORG_CONNECTORS_MAX_CONCURRENT_RUNS.',
		);
	});

	it('lists five executions and counts the rest, and points at the policy file when there is one', () => {
		const error = concurrentRunsError(policyWith({ maxConcurrentRuns: 7, policyFile: '/etc/n8n/policy.json' }), 'google_drive', running);
		expect(error.message).toContain('execution 104 since 2026-01-01T00:04:00.000Z, and 2 more)');
		expect(error.message).not.toContain('execution 105');
		expect(error.message).toContain('"maxConcurrentRuns" in the policy file /etc/n8n/policy.json');
	});
});
