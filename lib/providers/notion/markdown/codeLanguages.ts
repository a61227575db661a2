/**
 * Notion's code-block language names → the info strings highlighters (GitHub Linguist,
 * highlight.js, Prism, Shiki) recognise. Names not listed are lower-cased with
 * spaces turned into dashes, which already matches for most ("python", "rust").
 */
const LANGUAGE_ALIASES: Readonly<Record<string, string>> = {
	'plain text': 'text',
	'ascii art': 'text',
	'notion formula': 'text',
	'c++': 'cpp',
	'c#': 'csharp',
	'f#': 'fsharp',
	'objective-c': 'objectivec',
	'vb.net': 'vbnet',
	'visual basic': 'vb',
	'java/c/c++/c#': 'java',
	'llvm ir': 'llvm',
	webassembly: 'wasm',
	docker: 'dockerfile',
	markup: 'html',
};

export function codeFenceLanguage(notionLanguage: string | undefined): string {
	const name = (notionLanguage ?? '').trim().toLowerCase();
	if (name === '') return '';
	return LANGUAGE_ALIASES[name] ?? name.replace(/\s+/g, '-').replace(/`/g, '');
}
