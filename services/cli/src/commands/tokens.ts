import { TOKEN_SCOPES, type TokenInfo, type TokenScope } from '@radar/db';
import { parse, printJson, usage, UsageError, type Command } from './command.js';
import { withRuntime } from './context.js';

const HELP = `
usage:
  pnpm radar tokens create --owner NAME --scope SCOPE [--scope SCOPE...] [--name TEXT]
      creates an API token and prints it once on stdout (it is stored hashed, and cannot be shown again)
  pnpm radar tokens list [--owner NAME] [--all] [--json]
      tokens with their owner, scopes and last use (never the secret); --all includes revoked ones
  pnpm radar tokens revoke ID|PREFIX
      revokes a token at once
scopes: ${TOKEN_SCOPES.join(', ')} (admin may do everything; subscriptions:write sees only the owner's own)`;

const OWNER = /^[A-Za-z0-9._@+-]{1,100}$/;

function row(t: TokenInfo): string {
  const when = (d: Date | null) => (d ? d.toISOString().slice(0, 19) + 'Z' : '-');
  return [`#${t.id}`, `${t.prefix}…`, t.owner, t.scopes.join(','), `used=${when(t.last_used_at)}`, t.revoked_at ? `revoked=${when(t.revoked_at)}` : '', t.name ?? '']
    .filter(Boolean)
    .join('  ');
}

export const tokens: Command = {
  name: 'tokens',
  summary: 'create (printed once), list and revoke API tokens',
  async run(argv) {
    const args = parse(
      argv,
      {
        owner: { type: 'string' },
        scope: { type: 'string', multiple: true },
        name: { type: 'string' },
        all: { type: 'boolean' },
        json: { type: 'boolean' },
      },
      HELP,
    );
    if (!args) return 0;
    const [sub, ...rest] = args.positionals;
    if (!sub) return usage(HELP);
    const v = args.values;
    switch (sub) {
      case 'create': {
        if (!v.owner || !OWNER.test(v.owner)) throw new UsageError(`tokens create needs --owner (letters, digits, . _ @ + -)${HELP}`);
        const scopes = (v.scope ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
        if (!scopes.length) throw new UsageError(`tokens create needs at least one --scope${HELP}`);
        const bad = scopes.find((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
        if (bad) throw new UsageError(`unknown scope "${bad}"; one of ${TOKEN_SCOPES.join(', ')}`);
        return withRuntime(async (rt) => {
          const { token, info } = await rt.repos.tokens.create(v.owner!, scopes as TokenScope[], v.name ?? null);
          process.stdout.write(token + '\n');
          process.stderr.write(`token #${info.id} for ${info.owner} (${info.scopes.join(', ')}); it is shown only this once\n`);
          return 0;
        });
      }
      case 'list':
        return withRuntime(async (rt) => {
          const list = await rt.repos.tokens.list({ owner: v.owner, includeRevoked: v.all ?? false });
          for (const t of list) {
            if (v.json) printJson(t);
            else process.stdout.write(row(t) + '\n');
          }
          if (!v.json) process.stderr.write(`${list.length} token(s)\n`);
          return 0;
        });
      case 'revoke': {
        if (rest.length !== 1) throw new UsageError(`tokens revoke needs one id or prefix${HELP}`);
        const key = /^[0-9]{1,9}$/.test(rest[0]!) ? Number(rest[0]) : rest[0]!.replace(/…$/, '');
        return withRuntime(async (rt) => {
          if (!(await rt.repos.tokens.revoke(key))) throw new UsageError(`no live token ${rest[0]}`);
          process.stderr.write(`revoked ${rest[0]}\n`);
          return 0;
        });
      }
      default:
        throw new UsageError(`unknown tokens command "${sub}"${HELP}`);
    }
  },
};
