// The satisfaction view's diagram and editor in jsdom: every structural path carries its test id
// and raw value; preset changes and validation messages reach the screen.
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, describe, expect, it } from 'vitest';
import PathDiagram from '../../src/ui/survey/PathDiagram.svelte';
import ModelEditor from '../../src/ui/survey/ModelEditor.svelte';
import { DEFAULT_SURVEY_OPTIONS, presetModel, validateSurveyModel } from '../../src/core/survey-presets';
import type { SurveyProfile } from '../../src/engine/analyses/survey';
import { i18n } from '../../src/i18n/index.svelte';

const items = ['CUEX1', 'CUEX2', 'CUEX3', 'CUSA1', 'CUSA2', 'CUSA3', 'CUSCO', 'CUSL1', 'CUSL2', 'CUSL3', 'IMAG1', 'IMAG2', 'PERQ1', 'PERQ2', 'PERV1', 'PERV2'];

afterEach(() => {
  cleanup();
  i18n.locale = 'en';
});

describe('PathDiagram', () => {
  it('draws one arrow per path with pls-path-<from>-<to> and the raw coefficient', () => {
    const model = presetModel('ecsi', items);
    const paths: Record<string, Record<string, number>> = {};
    model.paths.forEach(([a, b], i) => ((paths[a] ??= {})[b] = i / 10 - 0.25));
    render(PathDiagram, { model, paths, rSquared: { Satisfaction: 0.68 } });
    for (const [i, [a, b]] of model.paths.entries()) {
      expect(screen.getByTestId(`pls-path-${a}-${b}`)).toHaveAttribute('data-value', String(i / 10 - 0.25));
    }
    expect(screen.getByTestId('pls-diagram').querySelectorAll('[data-testid^="pls-path-"]')).toHaveLength(12);
    expect(screen.getByTestId('pls-node-Satisfaction')).toHaveTextContent('R² = 0.680');
  });
});

describe('ModelEditor', () => {
  const profile: SurveyProfile = {
    rows: 10,
    columns: items.map((name) => ({ name, filled: 10, numeric: 10, min: 1, max: 10, distinct: 10, item: true })),
    items,
    idColumn: null,
    npsColumn: null,
    suggestedPreset: 'ecsi',
  };

  it('switches presets and shows validation messages in Chinese', async () => {
    i18n.locale = 'zh-CN';
    const draft = $state({ ...structuredClone(DEFAULT_SURVEY_OPTIONS), preset: 'ecsi' as const, ...presetModel('ecsi', items) });
    const issues = $derived(validateSurveyModel(draft, items));
    render(ModelEditor, {
      props: {
        profile,
        get draft() {
          return draft;
        },
        set draft(v) {
          Object.assign(draft, v);
        },
        get issues() {
          return issues;
        },
        onRun: () => {},
      },
    });
    expect(screen.getByTestId('survey-paths').querySelectorAll('li')).toHaveLength(12);
    const select = screen.getByTestId('survey-preset') as HTMLSelectElement;
    select.value = 'custom';
    await fireEvent.change(select);
    expect(draft.paths).toEqual([]);
    expect(draft.constructs.map((c) => c.name)).toEqual(['CUEX', 'CUSA', 'CUSCO', 'CUSL', 'IMAG', 'PERQ', 'PERV']);
    expect(await screen.findByTestId('survey-issues')).toHaveTextContent('请至少在两个构念之间添加一条结构路径');
    expect(screen.getByTestId('survey-run')).toBeDisabled();
  });
});
