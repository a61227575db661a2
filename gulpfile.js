const { src, dest } = require('gulp');

// tsc emits only JavaScript; icons and codex files are copied beside it.
function copyAssets() {
	return src(['icons/**/*.{png,svg}', 'nodes/**/*.{png,svg,json}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports.build = copyAssets;
exports.default = copyAssets;
