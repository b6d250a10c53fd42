#!/usr/bin/env node
/* global process, Buffer, URL, fetch, AbortSignal, console, setTimeout, clearTimeout */
/**
 * Container health check for Radar, with no dependencies so it starts in ~50 ms.
 *
 *   node infra/docker/healthcheck.mjs http URL             the URL answers 2xx (the API's /healthz or /readyz)
 *   node infra/docker/healthcheck.mjs worker QUEUE...      a BullMQ worker of each queue is connected from this host
 *
 * Worker processes have no HTTP port. What proves one is alive is its blocking Redis connection:
 * BullMQ names it `${QUEUE_PREFIX}:${base64(queue)}`, so `CLIENT LIST` shows one per queue per
 * process, with the address it connects from. The check passes when, for every queue given, such
 * a connection comes from one of this host's (container's, pod's) addresses.
 *
 * When Redis itself does not answer, the check passes and says so: restarting a worker cannot
 * bring Redis back, and a liveness probe that failed here would restart every worker in a loop
 * for as long as Redis is down. Redis has its own health check and alerts.
 *
 * Reads REDIS_URL and QUEUE_PREFIX with the defaults of packages/config/src/settings.ts.
 */
import net from 'node:net';
import tls from 'node:tls';
import { networkInterfaces } from 'node:os';

const TIMEOUT_MS = 3000;

function done(code, message) {
  console.error(`healthcheck: ${message}`);
  process.exit(code);
}

/** Sends RESP commands in order and resolves with each reply (strings, numbers, errors as Error). */
function redisCommands(url, commands) {
  const u = new URL(url);
  const port = Number(u.port || 6379);
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    const socket =
      u.protocol === 'rediss:' ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    const timer = setTimeout(() => socket.destroy(new Error(`no answer from Redis within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
    let buf = Buffer.alloc(0);
    const replies = [];
    socket.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        const parsed = parseReply(buf);
        if (!parsed) break;
        replies.push(parsed.value);
        buf = buf.subarray(parsed.next);
        if (replies.length === commands.length) {
          clearTimeout(timer);
          socket.end();
          resolve(replies);
          return;
        }
      }
    });
    socket.write(
      commands
        .map((args) => `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`)
        .join(''),
    );
  });
}

/** Parses one RESP2 reply (simple string, error, integer, bulk string) from the buffer start. */
function parseReply(buf) {
  const eol = buf.indexOf('\r\n');
  if (eol < 0) return null;
  const type = String.fromCharCode(buf[0]);
  const head = buf.subarray(1, eol).toString('utf8');
  if (type === '+') return { value: head, next: eol + 2 };
  if (type === '-') return { value: new Error(head), next: eol + 2 };
  if (type === ':') return { value: Number(head), next: eol + 2 };
  if (type === '$') {
    const len = Number(head);
    if (len < 0) return { value: null, next: eol + 2 };
    if (buf.length < eol + 2 + len + 2) return null;
    return { value: buf.subarray(eol + 2, eol + 2 + len).toString('utf8'), next: eol + 2 + len + 2 };
  }
  throw new Error(`unexpected Redis reply type ${JSON.stringify(type)}`);
}

function localAddresses() {
  const out = new Set(['127.0.0.1', '::1']);
  for (const list of Object.values(networkInterfaces())) for (const a of list ?? []) out.add(a.address);
  return out;
}

/** `addr=10.1.2.3:5678` or `addr=[::1]:5678` (Redis 7 prints IPv6 without brackets: `::1:5678`). */
function clientHost(addr) {
  const i = addr.lastIndexOf(':');
  return addr.slice(0, i).replace(/^\[|\]$/g, '').replace(/^::ffff:/, '');
}

async function checkWorker(queues) {
  if (!queues.length) done(2, 'usage: healthcheck.mjs worker QUEUE...');
  const redisUrl = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
  const prefix = process.env.QUEUE_PREFIX || 'radar';
  const u = new URL(redisUrl);
  const commands = [];
  if (u.password) {
    const user = decodeURIComponent(u.username || 'default');
    commands.push(['AUTH', user, decodeURIComponent(u.password)]);
  }
  commands.push(['CLIENT', 'LIST', 'TYPE', 'normal']);
  let replies;
  try {
    replies = await redisCommands(redisUrl, commands);
  } catch (err) {
    done(0, `Redis at ${u.host} does not answer (${err.message}); not the worker's fault, passing`);
  }
  const list = replies[replies.length - 1];
  if (list instanceof Error) done(1, `Redis refused CLIENT LIST: ${list.message}`);
  const mine = localAddresses();
  const names = new Set();
  for (const line of String(list).split('\n')) {
    const fields = Object.fromEntries(line.split(' ').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
    if (fields.name && fields.addr && mine.has(clientHost(fields.addr))) names.add(fields.name);
  }
  const missing = queues.filter((q) => {
    const name = `${prefix}:${Buffer.from(q).toString('base64')}`;
    return ![...names].some((n) => n === name || n.startsWith(`${name}:w:`));
  });
  if (missing.length) done(1, `no worker of queue(s) ${missing.join(', ')} (prefix ${prefix}) is connected from this host`);
  done(0, `workers of ${queues.join(', ')} connected`);
}

async function checkHttp(url) {
  if (!url) done(2, 'usage: healthcheck.mjs http URL');
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (res.ok) done(0, `${url} answered ${res.status}`);
    done(1, `${url} answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
  } catch (err) {
    done(1, `${url}: ${err.message}`);
  }
}

const [mode, ...rest] = process.argv.slice(2);
if (mode === 'worker') await checkWorker(rest);
else if (mode === 'http') await checkHttp(rest[0]);
else done(2, 'usage: healthcheck.mjs http URL | worker QUEUE...');
