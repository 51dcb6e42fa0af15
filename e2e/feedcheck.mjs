#!/usr/bin/env node
// feedcheck.mjs - judge a podcast RSS 2.0 feed with independent, third-party
// parsers and Apple Podcasts' required-tag rules.
//
//   node feedcheck.mjs [--strict] [--items N] [--no-xmllint] FEED
//
// FEED is a file path, an http(s):// URL (e.g. of a local dev server) or "-"
// for stdin. Prints one JSON object on stdout:
//   { ok, source, errors[], warnings[], parsers{}, channel{}, itemCount, items[] }
//
// Parsers used (none written by us):
//   - fast-xml-parser XMLValidator: well-formedness (line/col on failure)
//   - xmllint (Debian libxml2-utils), if installed: strict XML 1.0 +
//     namespace well-formedness (catches undeclared prefixes)
//   - podcast-partytime (Podcast Index's parser): the summary below comes from
//     it; it silently drops items it considers invalid, which we report
//   - feedsmith (namespace-aware parser): cross-check of item count / guids
// Rules on top (what Apple Podcasts requires; see README.md):
//   channel: title, description, language, itunes:image@href,
//            itunes:category@text (valid Apple category), itunes:explicit
//   item:    title, enclosure@url/@length/@type, guid (non-empty, unique)
//
// Exit codes: 0 = ok; 1 = rule errors (or warnings with --strict);
//             2 = not parseable as XML / RSS; 64 = usage error.
import fs from 'node:fs';
import { spawnSync } from 'node:child_process';
import { req } from './lib.mjs';

process.env.PARTYTIME_LOG = process.env.PARTYTIME_LOG || 'silent';

const NS = {
  itunes: 'http://www.itunes.com/dtds/podcast-1.0.dtd',
  podcast: 'https://podcastindex.org/namespace/1.0',
  content: 'http://purl.org/rss/1.0/modules/content/',
  atom: 'http://www.w3.org/2005/Atom',
};
// Apple: https://podcasters.apple.com/support/823-podcast-requirements
const APPLE_MEDIA_TYPES = new Set([
  'audio/mpeg', 'audio/x-m4a', 'audio/mp4', 'audio/m4a', 'audio/aac',
  'video/mp4', 'video/x-m4v', 'video/quicktime', 'application/pdf',
]);

function usage(msg) {
  if (msg) process.stderr.write(`feedcheck: ${msg}\n`);
  process.stderr.write('usage: node feedcheck.mjs [--strict] [--items N] [--no-xmllint] FEED|URL|-\n');
  process.exit(64);
}

const args = process.argv.slice(2);
let strict = false, useXmllint = true, maxItems = Infinity, source = null;
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  if (a === '--strict') strict = true;
  else if (a === '--no-xmllint') useXmllint = false;
  else if (a === '--items') maxItems = Number(args[++i]);
  else if (a === '-h' || a === '--help') usage();
  else if (a.startsWith('--')) usage(`unknown option ${a}`);
  else if (source === null) source = a;
  else usage('only one feed at a time');
}
if (source === null) usage('no feed given');

const errors = [];
const warnings = [];
const err = (where, msg) => errors.push({ where, msg });
const warn = (where, msg) => warnings.push({ where, msg });

function finish(out, code) {
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
  process.exit(code);
}

// ---------- read ----------
let buf;
try {
  if (source === '-') buf = fs.readFileSync(0);
  else if (/^https?:\/\//.test(source)) {
    const res = await fetch(source, { headers: { 'user-agent': 'feedcheck/1 (shownotes e2e)' } });
    if (!res.ok) finish({ ok: false, source, stage: 'fetch', errors: [{ where: 'fetch', msg: `HTTP ${res.status}` }] }, 2);
    const ct = res.headers.get('content-type') || '';
    if (!/xml|rss/i.test(ct)) warn('http', `content-type is "${ct}" (expected application/rss+xml or an xml type)`);
    buf = Buffer.from(await res.arrayBuffer());
  } else buf = fs.readFileSync(source);
} catch (e) {
  finish({ ok: false, source, stage: 'read', errors: [{ where: 'read', msg: String(e.message || e) }] }, 2);
}

let xml;
try {
  xml = new TextDecoder('utf-8', { fatal: true }).decode(buf);
} catch {
  finish({ ok: false, source, stage: 'encoding', errors: [{ where: 'document', msg: 'not valid UTF-8' }] }, 2);
}
if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);

// ---------- well-formedness ----------
const { XMLValidator, XMLParser } = req('fast-xml-parser');
const v = XMLValidator.validate(xml);
if (v !== true) {
  finish({ ok: false, source, stage: 'xml', errors: [{ where: `line ${v.err.line}:${v.err.col}`, msg: `${v.err.code}: ${v.err.msg}` }] }, 2);
}
const parsers = { 'fast-xml-parser': 'well-formed' };

if (useXmllint) {
  const tmp = source !== '-' && !/^https?:/.test(source) ? source : null;
  const r = spawnSync('xmllint', ['--noout', '--nonet', tmp || '-'], { input: tmp ? undefined : buf, encoding: 'utf8' });
  if (r.error && r.error.code === 'ENOENT') parsers.xmllint = 'not installed';
  else {
    const msgs = (r.stderr || '').split('\n').filter((l) => /error|warning/.test(l));
    parsers.xmllint = r.status === 0 && msgs.length === 0 ? 'ok' : 'errors';
    for (const m of msgs) err('xmllint', m.replace(/^[^:]*:/, 'line '));
    if (r.status !== 0 && msgs.length === 0) err('xmllint', `exit ${r.status}`);
  }
}

// ---------- raw tree (to see what is really in the file) ----------
const raw = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  htmlEntities: false,
  isArray: (name, jpath, isLeaf, isAttr) => !isAttr,
}).parse(xml);

const kids = (node, name) => (node && typeof node === 'object' && Array.isArray(node[name]) ? node[name] : []);
const first = (node, name) => kids(node, name)[0];
const text = (n) => {
  if (n === undefined || n === null) return undefined;
  if (typeof n !== 'object') return String(n).trim();
  const t = n['#text'];
  return t === undefined ? '' : String(Array.isArray(t) ? t.join('') : t).trim();
};
const attr = (n, a) => (n && typeof n === 'object' && n['@_' + a] !== undefined ? String(n['@_' + a]).trim() : undefined);

const rss = first(raw, 'rss');
if (!rss) finish({ ok: false, source, stage: 'rss', errors: [{ where: 'document', msg: 'root element is not <rss>' }], parsers }, 2);
if (attr(rss, 'version') !== '2.0') err('rss', `rss@version is "${attr(rss, 'version')}" (expected "2.0")`);
const ch = first(rss, 'channel');
if (!ch) finish({ ok: false, source, stage: 'rss', errors: [{ where: 'rss', msg: 'no <channel>' }], parsers }, 2);
if (kids(rss, 'channel').length > 1) err('rss', 'more than one <channel>');

// namespaces: every prefix used must be declared; known prefixes must use the official URI
const declared = new Map();
const used = new Set();
(function walk(node) {
  if (!node || typeof node !== 'object') return;
  for (const [k, val] of Object.entries(node)) {
    if (k.startsWith('@_xmlns:')) declared.set(k.slice(8), String(val));
    else if (k.startsWith('@_')) { const p = k.slice(2).split(':'); if (p.length === 2 && p[0] !== 'xml' && p[0] !== 'xmlns') used.add(p[0]); }
    else if (k !== '#text' && !k.startsWith('?')) {
      const p = k.split(':');
      if (p.length === 2) used.add(p[0]);
      for (const c of Array.isArray(val) ? val : [val]) walk(c);
    }
  }
})(rss);
for (const p of used) if (!declared.has(p)) err('namespaces', `prefix "${p}:" is used but not declared (xmlns:${p})`);
const LEGACY_PODCAST_NS = 'https://github.com/Podcastindex-org/podcast-namespace/blob/main/docs/1.0.md';
for (const [p, uri] of Object.entries(NS)) {
  if (!declared.has(p) || declared.get(p) === uri) continue;
  if (p === 'podcast' && declared.get(p) === LEGACY_PODCAST_NS) warn('namespaces', `xmlns:podcast uses the legacy URI "${LEGACY_PODCAST_NS}" (current: "${uri}")`);
  else err('namespaces', `xmlns:${p} is "${declared.get(p)}" (expected "${uri}")`);
}

// ---------- Apple: channel ----------
const need = (cond, where, msg) => { if (!cond) err(where, msg); };
need(text(first(ch, 'title')), 'channel', 'missing <title>');
need(text(first(ch, 'description')), 'channel', 'missing <description>');
const lang = text(first(ch, 'language'));
need(lang, 'channel', 'missing <language>');
if (lang && !/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$/.test(lang)) warn('channel', `<language> "${lang}" is not an ISO 639 code`);
const itImg = first(ch, 'itunes:image');
need(itImg && attr(itImg, 'href'), 'channel', 'missing <itunes:image href="...">');
if (itImg && attr(itImg, 'href') && !/^https?:\/\/.+\.(jpe?g|png)(\?.*)?$/i.test(attr(itImg, 'href'))) warn('channel', `itunes:image href "${attr(itImg, 'href')}" should be an absolute http(s) URL ending in .jpg/.png`);
const cats = kids(ch, 'itunes:category');
need(cats.length, 'channel', 'missing <itunes:category text="...">');
const { itunesCategoriesSourceOfTruth: APPLE_CATS } = req('podcast-partytime/dist/parser/itunes-categories.js');
const catMap = new Map(APPLE_CATS.map((c) => [c.name, new Set(c.subCategories)]));
for (const c of cats) {
  const t = attr(c, 'text');
  if (!t) { err('channel', '<itunes:category> without text attribute'); continue; }
  if (!catMap.has(t)) { err('channel', `itunes:category "${t}" is not an Apple Podcasts category`); continue; }
  for (const s of kids(c, 'itunes:category')) {
    const st = attr(s, 'text');
    if (!catMap.get(t).has(st)) err('channel', `itunes:category "${t}" > "${st}" is not an Apple Podcasts subcategory`);
  }
}
const explicitRaw = text(first(ch, 'itunes:explicit'));
need(explicitRaw !== undefined, 'channel', 'missing <itunes:explicit>');
const checkExplicit = (v, where) => {
  if (v === undefined) return;
  const l = v.toLowerCase();
  if (l === 'true' || l === 'false') return;
  if (['yes', 'no', 'clean', 'explicit'].includes(l)) warn(where, `itunes:explicit "${v}" is a legacy value (Apple documents "true"/"false")`);
  else err(where, `itunes:explicit "${v}" is not "true" or "false"`);
};
checkExplicit(explicitRaw, 'channel');
// Apple: recommended
if (!text(first(ch, 'link'))) warn('channel', 'no <link> (recommended)');
if (!text(first(ch, 'itunes:author'))) warn('channel', 'no <itunes:author> (recommended)');
const owner = first(ch, 'itunes:owner');
if (!owner || !text(first(owner, 'itunes:email'))) warn('channel', 'no <itunes:owner><itunes:email> (recommended; used to verify ownership)');
const itype = text(first(ch, 'itunes:type'));
if (itype && !['episodic', 'serial'].includes(itype)) err('channel', `itunes:type "${itype}" is not episodic|serial`);
if (!kids(ch, 'atom:link').some((l) => attr(l, 'rel') === 'self')) warn('channel', 'no <atom:link rel="self"> (recommended by RSS best practice)');
// Podcasting 2.0 (only the tags that are used)
const pguid = text(first(ch, 'podcast:guid'));
if (pguid !== undefined && !/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(pguid)) warn('channel', `podcast:guid "${pguid}" is not a UUIDv5`);
const locked = first(ch, 'podcast:locked');
if (locked && !['yes', 'no'].includes(text(locked))) err('channel', `podcast:locked "${text(locked)}" is not yes|no`);
for (const f of kids(ch, 'podcast:funding')) if (!attr(f, 'url')) err('channel', 'podcast:funding without url');
const checkPersons = (node, where) => { for (const p of kids(node, 'podcast:person')) if (!text(p)) err(where, 'podcast:person with empty name'); };
checkPersons(ch, 'channel');

// ---------- Apple: items ----------
const rawItems = kids(ch, 'item');
if (rawItems.length === 0) warn('channel', 'no <item> (Apple needs at least one episode to list a show)');
const seenGuid = new Map();
const seenEnc = new Map();
const RFC822 = /^(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun),\s*)?\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{2,4}\s+\d{2}:\d{2}(?::\d{2})?\s+(?:[+-]\d{4}|UT|GMT|[ECMP][SD]T|Z|[A-IK-Z])$/;
rawItems.forEach((it, i) => {
  const title = text(first(it, 'title'));
  const guid = text(first(it, 'guid'));
  const where = `item[${i}]` + (guid ? ` guid=${guid}` : title ? ` "${title}"` : '');
  need(title, where, 'missing <title>');
  need(guid, where, 'missing or empty <guid>');
  if (guid) {
    if (seenGuid.has(guid)) err(where, `duplicate guid (also item[${seenGuid.get(guid)}])`);
    else seenGuid.set(guid, i);
  }
  const encs = kids(it, 'enclosure');
  if (encs.length === 0) err(where, 'missing <enclosure>');
  if (encs.length > 1) warn(where, 'more than one <enclosure> (RSS 2.0 allows one; apps use the first)');
  const e = encs[0];
  if (e) {
    const url = attr(e, 'url'), len = attr(e, 'length'), type = attr(e, 'type');
    need(url, where, 'enclosure without url');
    need(len !== undefined, where, 'enclosure without length');
    need(type, where, 'enclosure without type');
    if (url && !/^https?:\/\/\S+$/.test(url)) err(where, `enclosure url "${url}" is not an absolute http(s) URL`);
    if (len !== undefined && !/^\d+$/.test(len)) err(where, `enclosure length "${len}" is not a whole number of bytes`);
    else if (len === '0') warn(where, 'enclosure length is 0');
    if (type && !APPLE_MEDIA_TYPES.has(type)) warn(where, `enclosure type "${type}" is not one Apple Podcasts lists`);
    if (url) { if (seenEnc.has(url)) warn(where, `enclosure url also used by item[${seenEnc.get(url)}]`); else seenEnc.set(url, i); }
  }
  const pd = text(first(it, 'pubDate'));
  if (!pd) warn(where, 'no <pubDate> (recommended)');
  else if (!RFC822.test(pd) || isNaN(Date.parse(pd))) err(where, `pubDate "${pd}" is not an RFC 822 date`);
  if (!text(first(it, 'description')) && !text(first(it, 'content:encoded')) && !text(first(it, 'itunes:summary'))) warn(where, 'no <description> / <content:encoded> (recommended)');
  const dur = text(first(it, 'itunes:duration'));
  if (dur === undefined) warn(where, 'no <itunes:duration> (recommended)');
  else if (!/^(\d+|\d{1,2}:[0-5]?\d|\d+:[0-5]\d:[0-5]\d)$/.test(dur)) err(where, `itunes:duration "${dur}" is not seconds, MM:SS or HH:MM:SS`);
  for (const tag of ['itunes:episode', 'itunes:season']) {
    const n = text(first(it, tag));
    if (n !== undefined && !/^[1-9]\d*$/.test(n)) err(where, `${tag} "${n}" is not a positive integer`);
  }
  if (itype === 'serial' && text(first(it, 'itunes:episode')) === undefined) err(where, 'itunes:type is serial but item has no <itunes:episode>');
  const et = text(first(it, 'itunes:episodeType'));
  if (et !== undefined && !['full', 'trailer', 'bonus'].includes(et)) err(where, `itunes:episodeType "${et}" is not full|trailer|bonus`);
  checkExplicit(text(first(it, 'itunes:explicit')), where);
  for (const t of kids(it, 'podcast:transcript')) {
    if (!attr(t, 'url')) err(where, 'podcast:transcript without url');
    if (!attr(t, 'type')) err(where, 'podcast:transcript without type');
  }
  const chap = first(it, 'podcast:chapters');
  if (chap && (!attr(chap, 'url') || !attr(chap, 'type'))) err(where, 'podcast:chapters needs url and type');
  for (const tag of ['podcast:season', 'podcast:episode']) {
    const n = text(first(it, tag));
    if (n !== undefined && !/^\d+(\.\d+)?$/.test(n)) err(where, `${tag} "${n}" is not a number`);
  }
  checkPersons(it, where);
});

// ---------- partytime (Podcast Index's parser) ----------
const pt = req('podcast-partytime');
let feed = null;
try {
  feed = pt.parseFeed(xml);
} catch (e) {
  err('partytime', `threw: ${e.message}`);
}
if (!feed) {
  parsers.partytime = 'failed';
  finish({ ok: false, source, stage: 'partytime', errors: [...errors, { where: 'partytime', msg: 'podcast-partytime could not parse the feed' }], warnings, parsers }, 2);
}
parsers.partytime = 'ok';
if (feed.items.length !== rawItems.length) {
  err('partytime', `partytime kept ${feed.items.length} of ${rawItems.length} items (it drops items without enclosure/guid/title)`);
}

// ---------- feedsmith (second, namespace-aware parser) ----------
try {
  const { parseRssFeed } = req('feedsmith');
  const fsFeed = parseRssFeed(xml);
  const fsItems = fsFeed.items || [];
  const fsGuids = fsItems.map((x) => x.guid?.value).filter(Boolean);
  const ptGuids = new Set(feed.items.map((x) => x.guid));
  const missing = fsGuids.filter((g) => !ptGuids.has(g));
  parsers.feedsmith = { ok: true, itemCount: fsItems.length, title: fsFeed.title };
  if (fsItems.length !== rawItems.length) err('feedsmith', `feedsmith saw ${fsItems.length} items, raw XML has ${rawItems.length}`);
  if (fsFeed.title !== feed.title) warn('feedsmith', `title differs: feedsmith "${fsFeed.title}" vs partytime "${feed.title}"`);
  if (missing.length && feed.items.length === rawItems.length) warn('feedsmith', `guids seen by feedsmith but not partytime: ${missing.slice(0, 5).join(', ')}`);
  if (!fsFeed.itunes?.image && itImg) err('feedsmith', 'feedsmith did not find itunes:image (namespace URI wrong?)');
} catch (e) {
  parsers.feedsmith = { ok: false, error: e.message };
  err('feedsmith', `feedsmith could not parse: ${e.message}`);
}

// ---------- summary ----------
const iso = (d) => (d instanceof Date && !isNaN(d) ? d.toISOString() : undefined);
const channel = {
  title: feed.title,
  link: feed.link,
  descriptionLength: (feed.description || '').length,
  language: feed.language,
  image: feed.itunesImage || feed.image?.url,
  categories: feed.itunesCategory || [],
  explicit: feed.explicit,
  explicitRaw,
  author: feed.author,
  owner: feed.owner,
  type: feed.itunesType,
  podcastGuid: feed.guid,
  locked: feed.locked,
  persons: (feed.podcastPeople || []).map(({ name, role, group, href, img }) => ({ name, role, group, href, img })),
  funding: feed.podcastFunding,
  pc20support: feed.pc20support,
  lastBuildDate: iso(feed.lastBuildDate),
};
const items = feed.items.slice(0, maxItems).map((it) => ({
  guid: it.guid,
  title: it.title,
  pubDate: iso(it.pubDate),
  link: it.link,
  enclosure: it.enclosure,
  duration: it.duration,
  episode: it.itunesEpisode ?? it.podcastEpisode?.number,
  season: it.itunesSeason ?? it.podcastSeason?.number,
  episodeType: it.itunesEpisodeType,
  explicit: it.explicit,
  image: it.image || it.itunesImage,
  descriptionLength: (it.description || '').length,
  contentLength: (it.content || '').length,
  transcripts: (it.podcastTranscripts || []).map(({ url, type, language, rel }) => ({ url, type, language, rel })),
  chapters: it.podcastChapters,
  persons: (it.podcastPeople || []).map(({ name, role, group, href, img }) => ({ name, role, group, href, img })),
}));

const ok = errors.length === 0 && (!strict || warnings.length === 0);
finish({ ok, source, strict, errors, warnings, parsers, channel, itemCount: feed.items.length, rawItemCount: rawItems.length, items }, ok ? 0 : 1);
