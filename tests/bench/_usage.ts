/**
 * An option value a bench cannot use: `pnpm bench` prints its message and the bench's usage line
 * and exits with 2, as for an option node:util parseArgs rejects (same error code).
 */
export function badOption(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' });
}
