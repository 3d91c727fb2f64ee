// The analysis views, in tab order. To add a view: write a component taking `{ wb }`, add
// its message keys (src/i18n/messages), and list it here.
import type { Component } from 'svelte';
import type { MessageKey } from '../i18n/en';
import type { Workbench } from './workbench.svelte';
import Overview from './Overview.svelte';
import QualityReport from './QualityReport.svelte';
import MappingEditor from './MappingEditor.svelte';
import FileList from './FileList.svelte';
import SurveyView from './survey/SurveyView.svelte';
import ClvView from './clv/ClvView.svelte';
import CohortsView from './cohorts/CohortsView.svelte';
import SegmentsView from './segments/SegmentsView.svelte';

export interface ViewDef {
  id: string;
  label: MessageKey;
  component: Component<{ wb: Workbench }>;
  /** Which loaded data the view needs before it can show anything. */
  needs: 'transactions' | 'survey' | 'any';
}

export const VIEWS: ViewDef[] = [
  { id: 'overview', label: 'tabs.overview', component: Overview, needs: 'transactions' },
  { id: 'segments', label: 'segments.tab', component: SegmentsView, needs: 'transactions' },
  { id: 'cohorts', label: 'cohorts.tab', component: CohortsView, needs: 'transactions' },
  { id: 'clv', label: 'clv.tab', component: ClvView, needs: 'transactions' },
  { id: 'quality', label: 'tabs.quality', component: QualityReport, needs: 'transactions' },
  { id: 'mapping', label: 'tabs.mapping', component: MappingEditor, needs: 'transactions' },
  { id: 'survey', label: 'survey.tab', component: SurveyView, needs: 'survey' },
  { id: 'files', label: 'tabs.files', component: FileList, needs: 'any' },
];
