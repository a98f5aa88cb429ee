// Command-line options shared by the bench's Node scripts: `--name value`, `--name=value` and bare flags.
//
// forEachOption(argv, fail, handle) calls handle(name, next) for each argument in order; next() returns the
// option's value (the part after '=', else the following argument) and calls fail(message) when there is none.
export function forEachOption(argv, fail, handle) {
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i];
    let value;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length) fail(`missing value for ${arg}`);
      return argv[++i];
    };
    handle(arg, next);
  }
}
