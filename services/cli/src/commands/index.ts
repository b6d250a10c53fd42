import type { Command } from './command.js';
import { api } from './api.js';
import { config } from './config.js';
import { demo } from './demo.js';
import { extract } from './extract.js';
import { failed } from './failed.js';
import { feeds } from './feeds.js';
import { migrate } from './migrate.js';
import { parseFeed } from './parse-feed.js';
import { reclassify } from './reclassify.js';
import { start } from './start.js';
import { tokens } from './tokens.js';

/** Every `pnpm radar` command, in the order `pnpm radar --help` lists them. */
export const COMMANDS: Command[] = [start, api, tokens, demo, feeds, parseFeed, migrate, failed, reclassify, extract, config];
