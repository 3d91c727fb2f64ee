// Share links and project files: the whole AnalysisConfig, validated on the way in.
// A link carries `#cfg=v1.<base64url(deflate-raw(JSON))>` in the URL fragment, which
// browsers never send to a server. It holds settings only — never data, code or SQL.
import { type AnalysisConfig, CONFIG_VERSION, defaultConfig, type Locale } from './config';
import { ROLES } from './mapping';
import { resolveSegmentationOptions, type SegmentationOptionsInput } from './segmentation-options';

export const SHARE_PARAM = 'cfg';
const PREFIX = `v${CONFIG_VERSION}.`;
/** A link longer than this is refused before decompressing (URL limits are ~64k anyway). */
const MAX_ENCODED = 60_000;
const MAX_JSON = 1_000_000;

export class ShareError extends Error {
  constructor(
    /** Message key (src/i18n): shareError.* */
    readonly key: 'shareError.format' | 'shareError.version' | 'shareError.invalid' | 'shareError.tooLarge',
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ShareError';
  }
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new ShareError('shareError.format', 'The link contains characters that are not base64url');
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

export async function encodeConfig(config: AnalysisConfig): Promise<string> {
  const json = new TextEncoder().encode(JSON.stringify(config));
  return PREFIX + toBase64Url(await pipe(json, new CompressionStream('deflate-raw')));
}

export async function decodeConfig(encoded: string): Promise<AnalysisConfig> {
  const match = /^v(\d+)\.(.*)$/s.exec(encoded);
  if (!match) throw new ShareError('shareError.format', 'The link does not start with a version (v1.)');
  const version = Number(match[1]);
  if (version > CONFIG_VERSION) {
    throw new ShareError('shareError.version', `The link was made by a newer version (v${version}) of the workbench than this one (v${CONFIG_VERSION})`);
  }
  if (match[2].length > MAX_ENCODED) throw new ShareError('shareError.tooLarge', `The link is ${match[2].length} characters long`);
  let json: string;
  try {
    const bytes = await pipe(fromBase64Url(match[2]), new DecompressionStream('deflate-raw'));
    if (bytes.length > MAX_JSON) throw new ShareError('shareError.tooLarge', `The settings are ${bytes.length} bytes`);
    json = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (e) {
    if (e instanceof ShareError) throw e;
    throw new ShareError('shareError.format', `The link is damaged (${e instanceof Error ? e.message : String(e)})`);
  }
  return parseConfigJson(json);
}

/** A project file (.json) or a decoded link: parse, migrate and validate. */
export function parseConfigJson(json: string): AnalysisConfig {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new ShareError('shareError.format', `Not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  return validateConfig(value);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Shape check against the defaults: every known key must have the default's JSON type
 * (null allowed where the default is null or where the key is documented nullable).
 * Keys a newer build added are filled from the defaults (that is the migration of older
 * links); unknown keys are dropped.
 */
function conform(path: string, value: unknown, fallback: unknown, nullable: boolean): unknown {
  if (value === undefined) return structuredClone(fallback);
  if (value === null) {
    if (fallback === null || nullable) return null;
    throw new ShareError('shareError.invalid', `${path} must not be empty`);
  }
  if (fallback === null) {
    if (['string', 'number', 'boolean'].includes(typeof value) || isRecord(value) || Array.isArray(value)) return value;
    throw new ShareError('shareError.invalid', `${path} has an unexpected value`);
  }
  if (Array.isArray(fallback)) {
    if (!Array.isArray(value)) throw new ShareError('shareError.invalid', `${path} must be a list`);
    return value;
  }
  if (isRecord(fallback)) {
    if (!isRecord(value)) throw new ShareError('shareError.invalid', `${path} must be an object`);
    // Open maps (e.g. per-file settings, strategy overrides) have no default keys: keep them.
    if (Object.keys(fallback).length === 0) return value;
    const out: Record<string, unknown> = {};
    for (const [k, d] of Object.entries(fallback)) out[k] = conform(`${path}.${k}`, value[k], d, true);
    return out;
  }
  if (typeof value !== typeof fallback) throw new ShareError('shareError.invalid', `${path} must be a ${typeof fallback}`);
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ShareError('shareError.invalid', `${path} must be a finite number`);
  return value;
}

export function validateConfig(value: unknown): AnalysisConfig {
  if (!isRecord(value)) throw new ShareError('shareError.invalid', 'The settings are not an object');
  if (value.version !== undefined && value.version !== CONFIG_VERSION) {
    throw new ShareError('shareError.version', `Unsupported settings version ${String(value.version)}`);
  }
  const locale: Locale = value.locale === 'zh-CN' ? 'zh-CN' : 'en';
  const defaults = defaultConfig(locale);
  const config = conform('settings', { ...value, version: CONFIG_VERSION, locale }, defaults, false) as AnalysisConfig;

  const mapping: AnalysisConfig['mapping'] = {};
  if (!isRecord(value.mapping ?? {})) throw new ShareError('shareError.invalid', 'mapping must be an object');
  for (const [role, column] of Object.entries((value.mapping ?? {}) as Record<string, unknown>)) {
    if (!(ROLES as readonly string[]).includes(role)) throw new ShareError('shareError.invalid', `mapping has an unknown role "${role}"`);
    if (typeof column !== 'string' || column.length > 1000) throw new ShareError('shareError.invalid', `mapping.${role} must be a column name`);
    mapping[role as keyof typeof mapping] = column;
  }
  config.mapping = mapping;

  const read: AnalysisConfig['read'] = {};
  for (const [file, settings] of Object.entries((value.read ?? {}) as Record<string, unknown>)) {
    read[file] = conform(`read.${file}`, settings, { encoding: null, delimiter: null, header: null, dateFormat: null, decimalComma: null }, true) as AnalysisConfig['read'][string];
  }
  config.read = read;
  if (config.asOf !== null && !/^\d{4}-\d{2}-\d{2}$/.test(String(config.asOf))) throw new ShareError('shareError.invalid', 'asOf must be a date (YYYY-MM-DD)');

  try {
    config.segmentation = resolveSegmentationOptions(config.segmentation as SegmentationOptionsInput);
  } catch (e) {
    throw new ShareError('shareError.invalid', e instanceof Error ? e.message : String(e));
  }
  return config;
}

/** The fragment of a URL that carries a config, or null. */
export function configFromHash(hash: string): string | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return params.get(SHARE_PARAM);
}
