import type { Command } from './command.js';
import { api } from './api.js';
import { classify } from './classify.js';
import { config } from './config.js';
import { demo } from './demo.js';
import { evalCommand } from './eval.js';
import { extract } from './extract.js';
import { failed } from './failed.js';
import { feeds } from './feeds.js';
import { migrate } from './migrate.js';
import { parseFeed } from './parse-feed.js';
import { reclassify } from './reclassify.js';
import { start } from './start.js';
import { subscriptions } from './subscriptions.js';
import { tokens } from './tokens.js';
import { train } from './train.js';

/** Every `pnpm radar` command, in the order `pnpm radar --help` lists them. */
export const COMMANDS: Command[] = [start, api, tokens, subscriptions, demo, feeds, parseFeed, migrate, failed, reclassify, classify, train, evalCommand, extract, config];
