import { renderRichText } from '../../../../../lib/providers/notion/markdown';
import {
	bold,
	code,
	customEmojiMention,
	databaseMention,
	dateMention,
	equationText,
	italic,
	link,
	linkMention,
	linkPreviewMention,
	pageMention,
	strike,
	templateMention,
	text,
	underline,
	userMention,
} from './blocks.fixtures';

describe('renderRichText', () => {
	describe('annotations', () => {
		it('writes bold, italic, strikethrough and code with their Markdown delimiters', () => {
			expect(renderRichText([bold('b'), text(' '), italic('i'), text(' '), strike('s'), text(' '), code('c')])).toBe(
				'**b** *i* ~~s~~ `c`',
			);
		});

		it('combines several annotations on one segment into nested delimiters', () => {
			expect(renderRichText([text('all', { bold: true, italic: true, strikethrough: true })])).toBe('***~~all~~***');
			expect(renderRichText([text('x', { bold: true, code: true })])).toBe('**`x`**');
		});

		it('merges neighbouring segments with the same format instead of writing **a****b**', () => {
			expect(renderRichText([bold('a'), bold('b'), text(' and '), code('x'), code('y')])).toBe('**ab** and `xy`');
		});

		it('keeps a longer-lasting format outermost when formats overlap', () => {
			expect(renderRichText([bold('a '), text('b', { bold: true, italic: true }), bold(' c')])).toBe('**a *b* c**');
			expect(renderRichText([text('a', { bold: true, italic: true }), bold('b')])).toBe('***a*b**');
		});

		it('moves whitespace at segment edges outside the delimiters', () => {
			expect(renderRichText([text('x'), bold(' bold '), text('y')])).toBe('x **bold** y');
			expect(renderRichText([text('a'), italic(' b\n'), text('c')])).toBe('a *b*\\\nc');
		});

		it('writes a formatted segment of only whitespace as plain whitespace', () => {
			expect(renderRichText([text('a'), bold('   '), text('b')])).toBe('a   b');
		});

		it('keeps intraword emphasis in Markdown, which CommonMark allows for *', () => {
			expect(renderRichText([text('un'), bold('believ'), text('able')])).toBe('un**believ**able');
		});

		it('falls back to HTML where CommonMark could not open or close the delimiter', () => {
			expect(renderRichText([text('x'), bold('(y)'), text('z')])).toBe('x<strong>(y)</strong>z');
			expect(renderRichText([text('see'), italic('“this”'), text('now')])).toBe('see<em>“this”</em>now');
			expect(renderRichText([bold('done.'), text('Next')])).toBe('<strong>done.</strong>Next');
		});

		it('leaves out underline by default, Markdown having none', () => {
			expect(renderRichText([text('an '), underline('underlined'), text(' word')])).toBe('an underlined word');
		});

		it('writes underline as <u> when asked for HTML underline', () => {
			expect(renderRichText([underline('under'), text(' line')], { context: { underline: 'html' } })).toBe(
				'<u>under</u> line',
			);
		});

		it('ignores colours', () => {
			expect(renderRichText([text('red', { color: 'red' }), text(' bg', { color: 'yellow_background' })])).toBe('red bg');
		});
	});

	describe('links', () => {
		it('makes a link to another Notion page (`/<id>`, with its block anchor) a notion.so link', () => {
			expect(renderRichText([link('Spec', '/0123456789abcdef0123456789abcdef'), text(' and '), link('its part', '/0123456789abcdef0123456789abcdef#fedcba9876543210fedcba9876543210')])).toBe(
				'[Spec](https://www.notion.so/0123456789abcdef0123456789abcdef) and [its part](https://www.notion.so/0123456789abcdef0123456789abcdef#fedcba9876543210fedcba9876543210)',
			);
		});

		it('keeps the text of a link to an unsafe scheme and drops the link', () => {
			const unsafe = ['javascript:alert(1)', 'JavaScript:alert(1)', ' java\tscript:alert(1)', 'data:text/html;base64,PHNjcmlwdD4=', 'vbscript:x', 'file:///etc/passwd', '//evil.example/x'];
			for (const url of unsafe) expect(renderRichText([link('click', url)])).toBe('click');
			expect(renderRichText([link('mail', 'mailto:a@b.c'), text(' '), link('call', 'tel:+1'), text(' '), link('top', '#top')])).toBe(
				'[mail](mailto:a@b.c) [call](tel:+1) [top](#top)',
			);
		});

		it('writes a link as [text](url)', () => {
			expect(renderRichText([text('Read '), link('the docs', 'https://example.com/docs')])).toBe(
				'Read [the docs](https://example.com/docs)',
			);
		});

		it('keeps one link across segments with different formats', () => {
			expect(renderRichText([link('bold', 'https://e.com', { bold: true }), link(' plain', 'https://e.com')])).toBe(
				'[**bold** plain](https://e.com)',
			);
		});

		it('puts emphasis around a link that lies inside it', () => {
			expect(renderRichText([bold('see '), link('here', 'https://e.com', { bold: true }), bold(' now')])).toBe(
				'**see [here](https://e.com) now**',
			);
		});

		it('escapes parentheses and spaces in the URL so the link does not end early', () => {
			expect(renderRichText([link('wiki', 'https://en.wikipedia.org/wiki/Pi_(letter)')])).toBe(
				'[wiki](https://en.wikipedia.org/wiki/Pi_\\(letter\\))',
			);
			expect(renderRichText([link('file', 'https://e.com/a file.pdf')])).toBe('[file](https://e.com/a%20file.pdf)');
		});

		it('escapes brackets in link text', () => {
			expect(renderRichText([link('[draft] plan', 'https://e.com')])).toBe('[\\[draft\\] plan](https://e.com)');
		});
	});

	describe('code spans', () => {
		it('fences inline code with more backticks than any run inside', () => {
			expect(renderRichText([code('a `b` c')])).toBe('``a `b` c``');
			expect(renderRichText([code('```')])).toBe('```` ``` ````');
		});

		it('does not escape Markdown characters inside code', () => {
			expect(renderRichText([code('*x* _y_ [z]')])).toBe('`*x* _y_ [z]`');
		});
	});

	describe('equations', () => {
		it('writes an inline equation between single dollars', () => {
			expect(renderRichText([text('Energy '), equationText('E = mc^2'), text(' holds')])).toBe('Energy $E = mc^2$ holds');
		});

		it('escapes dollars in the text next to an equation so they are not read as math', () => {
			expect(renderRichText([text('costs $5 if '), equationText('x > 1')])).toBe('costs \\$5 if $x > 1$');
		});

		it('leaves a lone dollar alone', () => {
			expect(renderRichText([text('costs $5')])).toBe('costs $5');
		});
	});

	describe('mentions', () => {
		it('writes a user mention as @Name', () => {
			expect(renderRichText([text('ask '), userMention('Ada Lovelace')])).toBe('ask @Ada Lovelace');
		});

		it('links a page mention with the title and URL the provider knows', () => {
			const id = 'aaaaaaaa-0000-4000-8000-000000000001';
			const context = { pageTitle: () => 'Roadmap 2025', pageUrl: () => 'https://www.notion.so/acme/Roadmap-aaaa' };
			expect(renderRichText([pageMention(id, 'Old title')], { context })).toBe(
				'[Roadmap 2025](https://www.notion.so/acme/Roadmap-aaaa)',
			);
		});

		it("falls back to the mention's own title and link", () => {
			expect(renderRichText([pageMention('aaaaaaaa-0000-4000-8000-000000000001', 'Spec | v2')])).toBe(
				'[Spec | v2](https://www.notion.so/aaaaaaaa000040008000000000000001)',
			);
			expect(renderRichText([databaseMention('dddddddd-0000-4000-8000-000000000001', 'Tasks')])).toBe(
				'[Tasks](https://www.notion.so/dddddddd000040008000000000000001)',
			);
		});

		it('writes a date mention as start → end with its time zone', () => {
			expect(renderRichText([dateMention('2024-05-01')])).toBe('2024-05-01');
			expect(renderRichText([dateMention('2024-05-01T09:00:00.000+02:00', '2024-05-03', 'Europe/Paris')])).toBe(
				'2024-05-01T09:00:00.000+02:00 → 2024-05-03 (Europe/Paris)',
			);
		});

		it('links link previews and link mentions', () => {
			expect(renderRichText([linkPreviewMention('https://github.com/o/r/pull/1')])).toBe(
				'[https://github.com/o/r/pull/1](https://github.com/o/r/pull/1)',
			);
			expect(renderRichText([linkMention('https://figma.com/file/x', 'Design')])).toBe('[Design](https://figma.com/file/x)');
		});

		it('writes template mentions and custom emoji as their words', () => {
			expect(renderRichText([templateMention('today'), text(' by '), templateMention('me')])).toBe('@Today by @Me');
			expect(renderRichText([customEmojiMention('party-parrot')])).toBe(':party-parrot:');
		});

		it('formats a mention like the text around it', () => {
			const mention = { ...userMention('Ada'), annotations: { ...bold('x').annotations } };
			expect(renderRichText([text('hi '), mention])).toBe('hi **@Ada**');
		});
	});

	describe('line breaks', () => {
		it('writes a line break inside a block as a hard break', () => {
			expect(renderRichText([text('first\nsecond')])).toBe('first\\\nsecond');
		});

		it('turns an empty line into a paragraph break, never a line holding only a backslash', () => {
			expect(renderRichText([text('a\n\nb')])).toBe('a\n\nb');
			expect(renderRichText([text('a\n \n\nb\nc')])).toBe('a\n\nb\\\nc');
			expect(renderRichText([text('a\n'), text('\nb', { bold: true })])).toBe('a\n\n**b**');
		});

		it('drops line breaks at the start and end, where a hard break would show a backslash', () => {
			expect(renderRichText([text('\nbody\n')])).toBe('body');
		});

		it('writes a line break as a space in a heading and as <br> in a table cell', () => {
			expect(renderRichText([text('one\ntwo')], { mode: 'heading' })).toBe('one two');
			expect(renderRichText([text('one\ntwo')], { mode: 'tableCell' })).toBe('one<br>two');
		});

		it('turns CRLF from pasted text into plain line breaks', () => {
			expect(renderRichText([text('a\r\nb')])).toBe('a\\\nb');
		});
	});

	describe('escaping', () => {
		it('leaves ordinary punctuation alone', () => {
			const sentence = 'Hello, world! (Really?) 50% off: yes; a-b, "quoted" it\'s #1 e.g. x=y+z @home 3/4 {ok} ^_^ ~5 min';
			expect(renderRichText([text(sentence)])).toBe(
				'Hello, world! (Really?) 50% off: yes; a-b, "quoted" it\'s #1 e.g. x=y+z @home 3/4 {ok} ^\\_^ ~5 min',
			);
		});

		it('escapes characters that would start emphasis, code or links', () => {
			expect(renderRichText([text('*not bold* and [not a link](x) and `not code`')])).toBe(
				'\\*not bold\\* and \\[not a link\\](x) and \\`not code\\`',
			);
		});

		it('keeps underscores inside words and escapes those that could emphasise', () => {
			expect(renderRichText([text('snake_case_name and _private_ and __init__')])).toBe(
				'snake_case_name and \\_private\\_ and \\_\\_init\\_\\_',
			);
		});

		it('keeps an asterisk between spaces, which cannot emphasise', () => {
			expect(renderRichText([text('2 * 3 = 6')])).toBe('2 * 3 = 6');
		});

		it('escapes < only where it would start an HTML tag', () => {
			expect(renderRichText([text('a < b and <div> and </p> and <!-- x -->')])).toBe(
				'a < b and \\<div> and \\</p> and \\<!-- x -->',
			);
		});

		it('escapes & only where it would start an entity', () => {
			expect(renderRichText([text('AT&T writes &amp; and &#169;')])).toBe('AT&T writes \\&amp; and \\&#169;');
		});

		it('escapes a backslash only where it would escape what follows', () => {
			expect(renderRichText([text('C:\\Users\\x and \\* and end\\')])).toBe('C:\\Users\\x and \\\\\\* and end\\\\');
		});

		it('escapes tildes when two could strike through, not a single one', () => {
			expect(renderRichText([text('~/a and ~/b')])).toBe('\\~/a and \\~/b');
			expect(renderRichText([text('about ~5')])).toBe('about ~5');
		});

		it.each([
			['# Not a heading', '\\# Not a heading'],
			['- not a bullet', '\\- not a bullet'],
			['+ not a bullet', '\\+ not a bullet'],
			['1. not a list', '1\\. not a list'],
			['2) not a list', '2\\) not a list'],
			['> not a quote', '\\> not a quote'],
			['---', '\\---'],
			['===', '\\==='],
			['| --- | :-: |', '\\| --- | :-: |'],
		])('escapes %j at the start of a line', (input, expected) => {
			expect(renderRichText([text(input)])).toBe(expected);
			expect(renderRichText([text(`before\n${input}`)])).toBe(`before\\\n${expected}`);
		});

		it('does not escape block syntax in the middle of a line', () => {
			expect(renderRichText([text('Issue #12 - see 1. above > below')])).toBe('Issue #12 - see 1. above > below');
		});

		it('escapes every pipe in a table cell, code and math included', () => {
			expect(renderRichText([text('a|b '), code('x|y'), text(' '), equationText('|v|')], { mode: 'tableCell' })).toBe(
				'a\\|b `x\\|y` $\\|v\\|$',
			);
		});
	});
});
