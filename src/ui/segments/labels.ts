// Names, colours and captions shared by the Segments components (texts from core/segments.ts
// in the UI language, with the user's playbook edits applied).
import { t } from '../../i18n/index.svelte';
import { localized, type Language } from '../../core/playbook';
import { ABC_CLASSES, LIFECYCLE_STAGES, schemeSegments, schemeSpec, segmentLabel, type AbcClass, type LifecycleStage } from '../../core/segments';
import type { SegmentationOptions } from '../../core/segmentation-options';
import type { AttributeRef, CustomerFilter } from '../../core/sql/segment-views';

/** Tableau 10 plus two: enough for the 11-segment grid and a few custom rules. */
export const PALETTE = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac', '#2f4b7c', '#a05195'];

export const ABC_COLORS: Record<string, string> = { A: '#1f6feb', B: '#6ea8fe', C: '#c9d8f5' };
export const STAGE_COLORS: Record<string, string> = { new: '#59a14f', active: '#4e79a7', silent: '#edc948', churned: '#e15759' };

export function segmentColor(options: SegmentationOptions, id: string): string {
  const index = schemeSegments(schemeSpec(options)).findIndex((s) => s.id === id);
  return index < 0 ? '#999999' : PALETTE[index % PALETTE.length];
}

export function segmentName(options: SegmentationOptions, id: string, lang: Language): string {
  const def = schemeSegments(schemeSpec(options)).find((s) => s.id === id);
  return def ? segmentLabel(def, lang) : id;
}

export function abcName(id: string, lang: Language): string {
  const def = ABC_CLASSES[id as AbcClass];
  return def ? localized(def.name, lang) : id;
}

export function stageName(id: string, lang: Language): string {
  const def = LIFECYCLE_STAGES[id as LifecycleStage];
  return def ? localized(def.name, lang) : id;
}

export function attributeLabel(ref: AttributeRef): string {
  if (ref.source === 'tx') {
    return t(ref.column === 'channel' ? 'segments.attr.tx.channel' : ref.column === 'region' ? 'segments.attr.tx.region' : 'segments.attr.tx.category');
  }
  if (ref.source === 'clv') return t('segments.attr.clv');
  return t('segments.attr.customers', { column: ref.column });
}

export interface ExplorerFilter extends CustomerFilter {
  /** For the caption of an attribute filter. */
  attributeLabel?: string;
}

export function filterCaption(filter: ExplorerFilter, options: SegmentationOptions, lang: Language): string {
  const parts: string[] = [];
  if (filter.segment !== undefined) parts.push(t('segments.filter.segment', { name: segmentName(options, filter.segment, lang) }));
  if (filter.abc !== undefined) parts.push(t('segments.filter.abc', { name: abcName(filter.abc, lang) }));
  if (filter.lifecycle !== undefined) parts.push(t('segments.filter.lifecycle', { name: stageName(filter.lifecycle, lang) }));
  if (filter.r !== undefined && filter.f !== undefined) parts.push(t('segments.filter.cell', { r: filter.r, f: filter.f }));
  if (filter.attribute) {
    parts.push(
      t('segments.filter.attribute', {
        attribute: filter.attributeLabel ?? '',
        value:
          filter.attribute.kind === 'value'
            ? filter.attribute.value
            : filter.attribute.kind === 'other'
              ? t('segments.crosstab.other')
              : t('segments.crosstab.missing'),
      }),
    );
  }
  return parts.length ? parts.join(' · ') : t('segments.explorer.all');
}

/** A short name for an export of a filtered selection. */
export function filterFileName(filter: ExplorerFilter): string {
  const parts: string[] = [];
  if (filter.segment !== undefined) parts.push(filter.segment);
  if (filter.abc !== undefined) parts.push(`abc-${filter.abc}`);
  if (filter.lifecycle !== undefined) parts.push(filter.lifecycle);
  if (filter.r !== undefined && filter.f !== undefined) parts.push(`r${filter.r}-f${filter.f}`);
  if (filter.attribute) parts.push(filter.attribute.kind === 'value' ? filter.attribute.value : filter.attribute.kind);
  return parts.join('-');
}

/** The engine's part of a filter (no captions). */
export function engineFilter(filter: ExplorerFilter): CustomerFilter {
  const { attributeLabel: _label, ...rest } = filter;
  return rest;
}

export interface Tile {
  id: string;
  name: string;
  color: string;
  customers: number;
  revenue: number;
  customerShare: number;
  revenueShare: number | null;
}

export interface Bar {
  id: string;
  label: string;
  color: string;
  customers: number;
  customerShare: number;
  revenueShare: number | null;
}
