import { ConnectorError } from '../../../lib/errors';
import { defaultPolicy, loadPolicy, PolicyError, type ReadPolicyFile } from '../../../lib/policy';
import { providerIds } from '../../../lib/providers/registry';

const POLICY_PATH = '/etc/n8n/connectors-policy.json';

/** Loads a policy from these variables and, when given, a policy file with this JSON text. */
function load(env: NodeJS.ProcessEnv, fileText?: string) {
	const readFile: ReadPolicyFile = (path) => {
		if (fileText === undefined || path !== POLICY_PATH) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
		return fileText;
	};
	return loadPolicy(fileText === undefined ? env : { ORG_CONNECTORS_POLICY_FILE: POLICY_PATH, ...env }, readFile);
}

function loadFile(settings: unknown, env: NodeJS.ProcessEnv = {}) {
	return load(env, JSON.stringify(settings));
}

function policyError(run: () => unknown): PolicyError {
	try {
		run();
	} catch (error) {
		if (error instanceof PolicyError) return error;
		throw error;
	}
	throw new Error('expected a PolicyError, nothing was thrown');
}

describe('loadPolicy defaults', () => {
	it('enables every provider the package ships, allows md, txt, csv and pdf exports and 500 MB files when nothing is set', () => {
		const policy = load({});
		expect(policy.enabledProviders).toEqual(providerIds());
		expect(policy.allowedExportFormats).toEqual(['md', 'txt', 'csv', 'pdf']);
		expect(policy.maxFileSizeMb).toBe(500);
	});

	it('allows any file type, account domain and Notion workspace, with no run limits, when nothing is set', () => {
		const policy = load({});
		expect(policy.allowedFileTypes).toBeNull();
		expect(policy.allowedAccountDomains).toBeNull();
		expect(policy.allowedNotionWorkspaces).toBeNull();
		expect(policy.maxFilesPerRun).toBeNull();
		expect(policy.maxConcurrentRuns).toBeNull();
		expect(policy.paths).toEqual(defaultPolicy().paths);
	});

	it('ignores variables that are not org policy variables', () => {
		expect(load({ PATH: '/usr/bin', N8N_PORT: '5678' })).toEqual(defaultPolicy());
	});
});

describe('loadPolicy from environment variables', () => {
	it('reads a comma list of providers, trimming spaces and ignoring case', () => {
		expect(load({ ORG_CONNECTORS_ENABLED_PROVIDERS: ' Notion ' }).enabledProviders).toEqual(['notion']);
	});

	it('treats an empty provider list as no provider enabled', () => {
		expect(load({ ORG_CONNECTORS_ENABLED_PROVIDERS: '' }).enabledProviders).toEqual([]);
	});

	it('treats an empty file type list as no file type allowed, not as the default', () => {
		expect(load({ ORG_CONNECTORS_ALLOWED_FILE_TYPES: ' ' }).allowedFileTypes).toEqual([]);
	});

	it('reads export formats, accepting a leading dot and dropping duplicates', () => {
		expect(load({ ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS: 'md,.PDF,pdf,docx' }).allowedExportFormats).toEqual([
			'md',
			'pdf',
			'docx',
		]);
	});

	it('reads file types as lower-case extensions and MIME patterns', () => {
		const policy = load({ ORG_CONNECTORS_ALLOWED_FILE_TYPES: 'PDF, .md, text/*, application/vnd.google-apps.*' });
		expect(policy.allowedFileTypes).toEqual(['pdf', 'md', 'text/*', 'application/vnd.google-apps.*']);
	});

	it('reads a decimal maximum file size in megabytes', () => {
		expect(load({ ORG_CONNECTORS_MAX_FILE_SIZE_MB: '0.5' }).maxFileSizeMb).toBe(0.5);
	});

	it('reads account domains, lower-casing them and accepting *.domain for subdomains', () => {
		const policy = load({ ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: 'Example.com,*.corp.example.org,@acme.io' });
		expect(policy.allowedAccountDomains).toEqual(['example.com', '*.corp.example.org', 'acme.io']);
	});

	it('normalises Notion workspace ids written with or without dashes to the dashed lower-case form', () => {
		const policy = load({
			ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES: '0F1E2D3C4B5A69788796A5B4C3D2E1F0,0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
		});
		expect(policy.allowedNotionWorkspaces).toEqual(['0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0']);
	});

	it('reads the per-run file limit and the per-provider concurrent run limit', () => {
		const policy = load({ ORG_CONNECTORS_MAX_FILES_PER_RUN: '1000', ORG_CONNECTORS_MAX_CONCURRENT_RUNS: '2' });
		expect(policy.maxFilesPerRun).toBe(1000);
		expect(policy.maxConcurrentRuns).toBe(2);
	});
});

describe('loadPolicy rejects bad variable values, naming the variable, the value and what is accepted', () => {
	it.each([
		['ORG_CONNECTORS_ENABLED_PROVIDERS', 'google_drive,box', '"box"', 'google_drive, notion'],
		['ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS', 'md,exe', '"exe"', 'md, txt, csv'],
		['ORG_CONNECTORS_ALLOWED_FILE_TYPES', 'pdf,text/[a-z]', '"text/[a-z]"', 'a file extension'],
		['ORG_CONNECTORS_ALLOWED_FILE_TYPES', 'my file', '"my file"', 'a file extension'],
		['ORG_CONNECTORS_MAX_FILE_SIZE_MB', '-5', '"-5"', 'a positive number of megabytes'],
		['ORG_CONNECTORS_MAX_FILE_SIZE_MB', '0', '"0"', 'a positive number of megabytes'],
		['ORG_CONNECTORS_MAX_FILE_SIZE_MB', 'abc', '"abc"', 'a positive number of megabytes'],
		['ORG_CONNECTORS_MAX_FILE_SIZE_MB', '1e3', '"1e3"', 'a positive number of megabytes'],
		['ORG_CONNECTORS_MAX_FILE_SIZE_MB', '', '""', 'a positive number of megabytes'],
		['ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS', 'example', '"example"', 'a domain such as example.com'],
		['ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS', 'ex ample.com', '"ex ample.com"', 'a domain such as example.com'],
		['ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS', '-bad.example.com', '"-bad.example.com"', 'a domain such as example.com'],
		['ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES', 'Acme Workspace', '"Acme Workspace"', 'a Notion workspace id'],
		['ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES', '0f1e2d3c4b5a', '"0f1e2d3c4b5a"', 'a Notion workspace id'],
		['ORG_CONNECTORS_MAX_FILES_PER_RUN', '2.5', '"2.5"', 'a whole number of files greater than 0'],
		['ORG_CONNECTORS_MAX_FILES_PER_RUN', '0', '"0"', 'a whole number of files greater than 0'],
		['ORG_CONNECTORS_MAX_CONCURRENT_RUNS', '-1', '"-1"', 'a whole number of runs greater than 0'],
		['ORG_CONNECTORS_MAX_CONCURRENT_RUNS', 'many', '"many"', 'a whole number of runs greater than 0'],
	])('%s=%j fails', (variable, value, quoted, accepted) => {
		const error = policyError(() => load({ [variable]: value }));
		expect(error).toBeInstanceOf(ConnectorError);
		expect(error.code).toBe('policy_invalid');
		expect(error.setting).toBe(variable);
		expect(error.message).toContain(variable);
		expect(error.message).toContain(quoted);
		expect(error.message).toContain(accepted);
	});

	it('rejects a misspelt ORG_CONNECTORS_ variable instead of silently not applying it', () => {
		const error = policyError(() => load({ ORG_CONNECTORS_MAX_FILESIZE_MB: '10' }));
		expect(error.setting).toBe('ORG_CONNECTORS_MAX_FILESIZE_MB');
		expect(error.message).toContain('ORG_CONNECTORS_MAX_FILE_SIZE_MB');
	});
});

describe('loadPolicy from a policy file', () => {
	it('reads every setting from the camelCase keys', () => {
		const policy = loadFile({
			enabledProviders: ['google_drive'],
			allowedExportFormats: ['md', 'pdf'],
			allowedFileTypes: ['pdf', 'text/*'],
			maxFileSizeMb: 50,
			allowedAccountDomains: ['example.com'],
			allowedNotionWorkspaces: ['0f1e2d3c4b5a69788796a5b4c3d2e1f0'],
			maxFilesPerRun: 1000,
			maxConcurrentRuns: 2,
			providers: {
				google_drive: { paths: { allow: ['/Engineering/**'], deny: ['/HR/**'] } },
				notion: { paths: { deny: ['/Private/**'] } },
			},
		});
		expect(policy).toEqual({
			enabledProviders: ['google_drive'],
			allowedExportFormats: ['md', 'pdf'],
			allowedFileTypes: ['pdf', 'text/*'],
			maxFileSizeMb: 50,
			allowedAccountDomains: ['example.com'],
			allowedNotionWorkspaces: ['0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'],
			maxFilesPerRun: 1000,
			maxConcurrentRuns: 2,
			paths: {
				google_drive: { allow: ['/Engineering/**'], deny: ['/HR/**'] },
				notion: { allow: null, deny: ['/Private/**'] },
			},
			policyFile: POLICY_PATH,
		});
	});

	it('keeps defaults for the settings the file leaves out', () => {
		const policy = loadFile({ maxFilesPerRun: 10 });
		expect(policy.allowedExportFormats).toEqual(defaultPolicy().allowedExportFormats);
		expect(policy.maxFileSizeMb).toBe(500);
	});

	it('reads a folder pattern ending in a slash as the folder and everything in it', () => {
		const policy = loadFile({ providers: { notion: { paths: { deny: ['/Private/'] } } } });
		expect(policy.paths.notion.deny).toEqual(['/Private/**']);
	});

	it('treats an empty ORG_CONNECTORS_POLICY_FILE as no policy file', () => {
		expect(loadPolicy({ ORG_CONNECTORS_POLICY_FILE: '' }, () => '{"maxFilesPerRun": 1}').maxFilesPerRun).toBeNull();
	});

	it('fails naming the file when it cannot be read', () => {
		const error = policyError(() => loadPolicy({ ORG_CONNECTORS_POLICY_FILE: '/missing.json' }, () => {
			throw new Error('ENOENT: no such file or directory');
		}));
		expect(error.setting).toBe('ORG_CONNECTORS_POLICY_FILE');
		expect(error.message).toContain('/missing.json');
		expect(error.message).toContain('ENOENT');
	});

	it('fails naming the file when it is not valid JSON', () => {
		const error = policyError(() => load({}, '{"maxFileSizeMb": 50,'));
		expect(error.message).toContain(`Policy file ${POLICY_PATH} is not valid JSON`);
	});

	it('fails when the file holds something other than an object', () => {
		expect(policyError(() => load({}, '["google_drive"]')).message).toContain('must hold a JSON object');
	});

	it.each([
		[{ maxFileSize: 50 }, 'maxFileSize'],
		[{ providers: { box: {} } }, 'providers.box'],
		[{ providers: { notion: { path: {} } } }, 'providers.notion.path'],
		[{ providers: { notion: { paths: { exclude: [] } } } }, 'providers.notion.paths.exclude'],
	])('rejects the unknown key in %j, naming it, so a typo never silently disables a rule', (settings, key) => {
		const error = policyError(() => loadFile(settings));
		expect(error.setting).toBe(key);
		expect(error.message).toContain(`key "${key}": unknown key`);
	});

	it.each([
		[{ maxFileSizeMb: '50' }, 'maxFileSizeMb', 'expected a JSON number'],
		[{ maxFileSizeMb: -1 }, 'maxFileSizeMb', 'a positive number of megabytes'],
		[{ maxFilesPerRun: 1.5 }, 'maxFilesPerRun', 'a whole number of files'],
		[{ enabledProviders: 'google_drive' }, 'enabledProviders', 'expected a JSON array of strings'],
		[{ allowedExportFormats: ['md', 7] }, 'allowedExportFormats', 'expected a JSON array of strings'],
		[{ allowedNotionWorkspaces: ['Acme'] }, 'allowedNotionWorkspaces', 'a Notion workspace id'],
		[{ providers: { notion: { paths: { deny: '/HR/**' } } } }, 'providers.notion.paths.deny', 'array of strings'],
	])('rejects %j, naming the key and what is accepted', (settings, key, accepted) => {
		const error = policyError(() => loadFile(settings));
		expect(error.setting).toBe(key);
		expect(error.message).toContain(`Policy file ${POLICY_PATH}, key "${key}"`);
		expect(error.message).toContain(accepted);
	});

	it.each([
		['/Engineering/[abc', 'Missing closing: "]"'],
		['/Engineering/{a,b', 'Missing closing: "}"'],
		['/Eng/*(draft', 'extended globs such as *(…) are not supported'],
		['HR/**', 'starting with / or **'],
		['!/HR/**', 'starting with / or **'],
	])('rejects the path glob %j, naming the key and the pattern', (glob, reason) => {
		const error = policyError(() => loadFile({ providers: { google_drive: { paths: { allow: [glob] } } } }));
		expect(error.setting).toBe('providers.google_drive.paths.allow');
		expect(error.message).toContain(`"${glob}"`);
		expect(error.message).toContain(reason);
	});
});

describe('loadPolicy precedence when the environment and the file both set a setting', () => {
	it('enables only providers both enable', () => {
		const policy = loadFile({ enabledProviders: ['google_drive'] }, { ORG_CONNECTORS_ENABLED_PROVIDERS: 'google_drive,notion' });
		expect(policy.enabledProviders).toEqual(['google_drive']);
	});

	it('allows only export formats both allow, even when the file lists one the environment does not', () => {
		const policy = loadFile({ allowedExportFormats: ['md', 'html'] }, { ORG_CONNECTORS_ALLOWED_EXPORT_FORMATS: 'md,pdf' });
		expect(policy.allowedExportFormats).toEqual(['md']);
	});

	it('lets the file widen a default the environment does not set', () => {
		expect(loadFile({ allowedExportFormats: ['html'] }).allowedExportFormats).toEqual(['html']);
	});

	it('keeps a file type pattern only where the other source covers it', () => {
		const policy = loadFile(
			{ allowedFileTypes: ['text/plain', 'application/*', 'md'] },
			{ ORG_CONNECTORS_ALLOWED_FILE_TYPES: 'text/*,pdf,md' },
		);
		expect(policy.allowedFileTypes).toEqual(['md', 'text/plain']);
	});

	it('keeps a subdomain pattern only where the other source covers it', () => {
		const policy = loadFile(
			{ allowedAccountDomains: ['eng.example.com', 'other.org'] },
			{ ORG_CONNECTORS_ALLOWED_ACCOUNT_DOMAINS: '*.example.com' },
		);
		expect(policy.allowedAccountDomains).toEqual(['eng.example.com']);
	});

	it('takes the smaller of two limits, whichever source sets it', () => {
		const policy = loadFile(
			{ maxFileSizeMb: 50, maxFilesPerRun: 5000, maxConcurrentRuns: 2 },
			{
				ORG_CONNECTORS_MAX_FILE_SIZE_MB: '100',
				ORG_CONNECTORS_MAX_FILES_PER_RUN: '1000',
				ORG_CONNECTORS_MAX_CONCURRENT_RUNS: '4',
			},
		);
		expect(policy).toMatchObject({ maxFileSizeMb: 50, maxFilesPerRun: 1000, maxConcurrentRuns: 2 });
	});

	it('does not let an empty list in one source be widened by the other', () => {
		const policy = loadFile({ allowedNotionWorkspaces: ['0f1e2d3c4b5a69788796a5b4c3d2e1f0'] }, { ORG_CONNECTORS_ALLOWED_NOTION_WORKSPACES: '' });
		expect(policy.allowedNotionWorkspaces).toEqual([]);
	});
});
