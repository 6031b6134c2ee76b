// The exercise editor's fields: those every exercise has, then one editor per type, each input
// named by the path the API reports its errors under (docs/CONTENT.md names the fields).

import { useId } from 'react';
import {
  Checkbox,
  GroupErrors,
  ListEditor,
  Select,
  TextArea,
  TextInput,
  type ErrorsAt,
} from './controls';
import {
  matchingIds,
  newGap,
  newItem,
  newNumericEntry,
  newOption,
  newTextEntry,
  type ChoiceOption,
  type CommonFields,
  type Gap,
  type Item,
  type NumericEntry,
  type NumericKey,
  type Scoring,
  type Spec,
  type TextEntry,
  type TextKey,
} from './exerciseForm';

interface Editor<T> {
  value: T;
  onChange: (value: T) => void;
  errors: ErrorsAt;
}

const kScorings: readonly (readonly [Scoring, string])[] = [
  ['partial', 'Partial credit'],
  ['all_or_nothing', 'All or nothing'],
];

const kMarkdownHint = 'Markdown; maths between $…$ or $$…$$.';

/** The prompt, hints, explanation, attempts, penalty and tags. */
export function CommonFieldsEditor({ value, onChange, errors }: Editor<CommonFields>) {
  const set = (changes: Partial<CommonFields>) => onChange({ ...value, ...changes });
  return (
    <>
      <TextArea
        label="Prompt"
        path="prompt"
        errors={errors}
        rows={4}
        value={value.prompt}
        onChange={(prompt) => set({ prompt })}
        hint={kMarkdownHint}
      />
      <ListEditor
        legend="Hints"
        itemName="hint"
        path="hints"
        errors={errors}
        items={value.hints}
        onChange={(hints) => set({ hints })}
        create={() => ''}
        hint="Revealed one at a time, from a gentle nudge to a near-giveaway."
        renderItem={(hint, index, update) => (
          <TextArea
            label={`Hint ${index + 1} text`}
            path={`hints[${index}]`}
            errors={errors}
            rows={2}
            value={hint}
            onChange={update}
          />
        )}
      />
      <TextArea
        label="Explanation"
        path="explanation"
        errors={errors}
        rows={3}
        value={value.explanation}
        onChange={(explanation) => set({ explanation })}
        hint="Shown after a correct answer or the last allowed try."
      />
      <div className="field-row">
        <TextInput
          label="Maximum attempts"
          path="max_attempts"
          errors={errors}
          inputMode="numeric"
          value={value.max_attempts}
          onChange={(max_attempts) => set({ max_attempts })}
          hint="Empty: unlimited."
        />
        <TextInput
          label="Penalty per retry"
          path="penalty"
          errors={errors}
          inputMode="decimal"
          value={value.penalty}
          onChange={(penalty) => set({ penalty })}
          hint="0 to 1; empty: none."
        />
      </div>
      <TextInput
        label="Tags"
        path="tags"
        errors={errors}
        value={value.tags}
        onChange={(tags) => set({ tags })}
        hint="Skills, separated by commas."
      />
    </>
  );
}

/** The fields of the exercise's type. */
export function SpecEditor({ value, onChange, errors }: Editor<Spec>) {
  switch (value.type) {
    case 'single_choice':
    case 'multiple_choice':
      return <ChoiceEditor value={value} onChange={onChange} errors={errors} />;
    case 'true_false':
      return <TrueFalseEditor value={value} onChange={onChange} errors={errors} />;
    case 'numeric':
      return (
        <NumericKeyEditor
          prefix=""
          errors={errors}
          value={value.key}
          onChange={(key) => onChange({ ...value, key })}
        />
      );
    case 'short_text':
      return (
        <TextKeyEditor
          prefix=""
          errors={errors}
          value={value.key}
          onChange={(key) => onChange({ ...value, key })}
        />
      );
    case 'cloze':
      return (
        <ListEditor
          legend="Gaps"
          itemName="gap"
          path="gaps"
          errors={errors}
          items={value.gaps}
          onChange={(gaps) => onChange({ ...value, gaps })}
          create={newGap}
          hint="One per marker in the prompt: write {{1}}, {{2}}, … where the gaps go."
          renderItem={(gap, index, update) => (
            <GapEditor prefix={`gaps[${index}].`} value={gap} onChange={update} errors={errors} />
          )}
        />
      );
    case 'ordering':
      return (
        <>
          <ItemList
            legend="Items, in the correct order"
            itemName="item"
            path="items"
            errors={errors}
            items={value.items}
            onChange={(items) => onChange({ ...value, items })}
            movable
            hint="Learners see them shuffled."
          />
          <Select
            label="Scoring"
            path="scoring"
            errors={errors}
            value={value.scoring}
            options={kScorings}
            onChange={(scoring) => onChange({ ...value, scoring })}
          />
        </>
      );
    case 'matching':
      return <MatchingEditor value={value} onChange={onChange} errors={errors} />;
    case 'formula':
      return <FormulaEditor value={value} onChange={onChange} errors={errors} />;
    case 'essay':
      return (
        <p className="field-help">
          An essay has no answer key: the learner&apos;s answer is saved, not marked.
        </p>
      );
  }
}

type ChoiceSpec = Extract<Spec, { type: 'single_choice' | 'multiple_choice' }>;

function ChoiceEditor({ value, onChange, errors }: Editor<ChoiceSpec>) {
  const single = value.type === 'single_choice';
  return (
    <>
      <ListEditor
        legend="Options"
        itemName="option"
        path="options"
        errors={errors}
        items={value.options}
        onChange={(options) => onChange({ ...value, options })}
        create={newOption}
        hint={
          single
            ? 'Mark exactly one option correct. Another may give part of the score (between -1 and 1).'
            : 'Mark the correct options, or give options scores (between -1 and 1) that add up to at least 1.'
        }
        renderItem={(option, index, update) => (
          <OptionFields
            option={option}
            path={`options[${index}]`}
            errors={errors}
            onChange={update}
            number={index + 1}
          />
        )}
      />
      <Checkbox
        label="Shuffle the options for each learner"
        path="shuffle"
        errors={errors}
        checked={value.shuffle}
        onChange={(shuffle) => onChange({ ...value, shuffle })}
      />
      {value.type === 'multiple_choice' && (
        <Select
          label="Scoring"
          path="scoring"
          errors={errors}
          value={value.scoring}
          options={kScorings}
          onChange={(scoring) => onChange({ ...value, scoring })}
        />
      )}
    </>
  );
}

function OptionFields({
  option,
  path,
  errors,
  onChange,
  number,
}: {
  option: ChoiceOption;
  path: string;
  errors: ErrorsAt;
  onChange: (option: ChoiceOption) => void;
  number: number;
}) {
  const set = (changes: Partial<ChoiceOption>) => onChange({ ...option, ...changes });
  return (
    <>
      <TextInput
        label={`Option ${number} text`}
        path={`${path}.text`}
        errors={errors}
        value={option.text}
        onChange={(text) => set({ text })}
      />
      <Checkbox
        label={`Option ${number} is correct`}
        path={`${path}.correct`}
        errors={errors}
        checked={option.correct}
        onChange={(correct) => set({ correct })}
      />
      <div className="field-row">
        <TextInput
          label={`Option ${number} id`}
          path={`${path}.id`}
          errors={errors}
          className="short-input"
          value={option.id}
          onChange={(id) => set({ id })}
        />
        <TextInput
          label={`Option ${number} score`}
          path={`${path}.score`}
          errors={errors}
          className="short-input"
          inputMode="decimal"
          value={option.score}
          onChange={(score) => set({ score })}
        />
      </div>
      <TextInput
        label={`Option ${number} feedback`}
        path={`${path}.feedback`}
        errors={errors}
        value={option.feedback}
        onChange={(feedback) => set({ feedback })}
      />
    </>
  );
}

type TrueFalseSpec = Extract<Spec, { type: 'true_false' }>;

function TrueFalseEditor({ value, onChange, errors }: Editor<TrueFalseSpec>) {
  const id = useId();
  const answerErrors = errors('answer');
  return (
    <>
      <fieldset
        className="radio-group"
        aria-describedby={answerErrors ? `${id}-errors` : undefined}
      >
        <legend>The statement is</legend>
        <GroupErrors id={`${id}-errors`} messages={answerErrors} />
        {([true, false] as const).map((answer) => (
          <label key={String(answer)} className="radio-option">
            <input
              type="radio"
              name={`${id}-answer`}
              checked={value.answer === answer}
              onChange={() => onChange({ ...value, answer })}
            />{' '}
            {answer ? 'True' : 'False'}
          </label>
        ))}
      </fieldset>
      <TextInput
        label="Feedback after the answer “true”"
        path="true_feedback"
        errors={errors}
        value={value.true_feedback}
        onChange={(true_feedback) => onChange({ ...value, true_feedback })}
      />
      <TextInput
        label="Feedback after the answer “false”"
        path="false_feedback"
        errors={errors}
        value={value.false_feedback}
        onChange={(false_feedback) => onChange({ ...value, false_feedback })}
      />
    </>
  );
}

/** A numeric exercise's key, or a numeric gap's (`prefix` "gaps[0]."). */
function NumericKeyEditor({
  prefix,
  value,
  onChange,
  errors,
}: Editor<NumericKey> & { prefix: string }) {
  const id = useId();
  const set = (changes: Partial<NumericKey>) => onChange({ ...value, ...changes });
  return (
    <>
      <fieldset className="radio-group">
        <legend>Accepted answers</legend>
        <label className="radio-option">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={value.mode === 'single'}
            onChange={() => set({ mode: 'single' })}
          />{' '}
          One answer, with a tolerance
        </label>
        <label className="radio-option">
          <input
            type="radio"
            name={`${id}-mode`}
            checked={value.mode === 'list'}
            onChange={() =>
              set({
                mode: 'list',
                answers: value.answers.length > 0 ? value.answers : [newNumericEntry()],
              })
            }
          />{' '}
          Several answers, each with a score and feedback
        </label>
      </fieldset>
      {value.mode === 'single' ? (
        <div className="field-row">
          <TextInput
            label="Answer"
            path={`${prefix}answer`}
            errors={errors}
            inputMode="decimal"
            value={value.answer}
            onChange={(answer) => set({ answer })}
          />
          <TextInput
            label="Tolerance"
            path={`${prefix}tolerance`}
            errors={errors}
            value={value.tolerance}
            onChange={(tolerance) => set({ tolerance })}
            hint="Absolute (0.01) or relative (1%); empty: exact."
          />
        </div>
      ) : (
        <ListEditor
          legend="Answers"
          itemName="answer"
          path={`${prefix}answers`}
          errors={errors}
          items={value.answers}
          onChange={(answers) => set({ answers })}
          create={newNumericEntry}
          hint="One must score 1. When answers overlap, put the highest score first."
          renderItem={(entry, index, update) => (
            <NumericEntryFields
              entry={entry}
              path={`${prefix}answers[${index}]`}
              errors={errors}
              onChange={update}
            />
          )}
        />
      )}
    </>
  );
}

function NumericEntryFields({
  entry,
  path,
  errors,
  onChange,
}: {
  entry: NumericEntry;
  path: string;
  errors: ErrorsAt;
  onChange: (entry: NumericEntry) => void;
}) {
  const set = (changes: Partial<NumericEntry>) => onChange({ ...entry, ...changes });
  return (
    <>
      <Select
        label="Kind"
        path={`${path}.kind`}
        errors={errors}
        value={entry.kind}
        options={[
          ['value', 'A value'],
          ['range', 'A range'],
        ]}
        onChange={(kind) => set({ kind })}
      />
      {entry.kind === 'value' ? (
        <div className="field-row">
          <TextInput
            label="Value"
            path={`${path}.value`}
            errors={errors}
            inputMode="decimal"
            value={entry.value}
            onChange={(value) => set({ value })}
          />
          <TextInput
            label="Tolerance"
            path={`${path}.tolerance`}
            errors={errors}
            value={entry.tolerance}
            onChange={(tolerance) => set({ tolerance })}
          />
        </div>
      ) : (
        <div className="field-row">
          <TextInput
            label="From"
            path={`${path}.range`}
            errors={errors}
            inputMode="decimal"
            value={entry.low}
            onChange={(low) => set({ low })}
          />
          <TextInput
            label="To"
            path={`${path}.range-high`}
            errors={errors}
            inputMode="decimal"
            value={entry.high}
            onChange={(high) => set({ high })}
          />
        </div>
      )}
      <div className="field-row">
        <TextInput
          label="Score"
          path={`${path}.score`}
          errors={errors}
          inputMode="decimal"
          value={entry.score}
          onChange={(score) => set({ score })}
          hint="0 to 1."
        />
        <TextInput
          label="Feedback"
          path={`${path}.feedback`}
          errors={errors}
          value={entry.feedback}
          onChange={(feedback) => set({ feedback })}
        />
      </div>
    </>
  );
}

/** A short-text exercise's key, or a short-text gap's (`prefix` "gaps[0]."). */
function TextKeyEditor({ prefix, value, onChange, errors }: Editor<TextKey> & { prefix: string }) {
  const set = (changes: Partial<TextKey>) => onChange({ ...value, ...changes });
  return (
    <>
      <ListEditor
        legend="Accepted answers"
        itemName="answer"
        path={`${prefix}answers`}
        errors={errors}
        items={value.answers}
        onChange={(answers) => set({ answers })}
        create={newTextEntry}
        hint="One must score 1. Spaces are collapsed before comparing; a pattern must match the whole answer."
        renderItem={(entry, index, update) => (
          <TextEntryFields
            entry={entry}
            path={`${prefix}answers[${index}]`}
            errors={errors}
            onChange={update}
          />
        )}
      />
      <Checkbox
        label="Capitals matter (case-sensitive)"
        path={`${prefix}case_sensitive`}
        errors={errors}
        checked={value.case_sensitive}
        onChange={(case_sensitive) => set({ case_sensitive })}
      />
      <Select
        label="Accents"
        path={`${prefix}accents`}
        errors={errors}
        value={value.accents}
        options={[
          ['ignore', 'Ignored (é matches e)'],
          ['strict', 'Strict'],
        ]}
        onChange={(accents) => set({ accents })}
      />
    </>
  );
}

function TextEntryFields({
  entry,
  path,
  errors,
  onChange,
}: {
  entry: TextEntry;
  path: string;
  errors: ErrorsAt;
  onChange: (entry: TextEntry) => void;
}) {
  const set = (changes: Partial<TextEntry>) => onChange({ ...entry, ...changes });
  return (
    <>
      <div className="field-row">
        <Select
          label="Kind"
          path={`${path}.kind`}
          errors={errors}
          value={entry.kind}
          options={[
            ['text', 'Text'],
            ['regex', 'Pattern (regex)'],
          ]}
          onChange={(kind) => set({ kind })}
        />
        <TextInput
          label={entry.kind === 'regex' ? 'Pattern' : 'Text'}
          path={`${path}.${entry.kind}`}
          alsoPaths={[`${path}.${entry.kind === 'regex' ? 'text' : 'regex'}`]}
          errors={errors}
          value={entry.text}
          onChange={(text) => set({ text })}
        />
      </div>
      <div className="field-row">
        <TextInput
          label="Score"
          path={`${path}.score`}
          errors={errors}
          inputMode="decimal"
          value={entry.score}
          onChange={(score) => set({ score })}
          hint="0 to 1; empty: 1."
        />
        <TextInput
          label="Feedback"
          path={`${path}.feedback`}
          errors={errors}
          value={entry.feedback}
          onChange={(feedback) => set({ feedback })}
        />
      </div>
    </>
  );
}

function GapEditor({ prefix, value, onChange, errors }: Editor<Gap> & { prefix: string }) {
  const set = (changes: Partial<Gap>) => onChange({ ...value, ...changes });
  return (
    <>
      <Select
        label="Kind of gap"
        path={`${prefix}type`}
        errors={errors}
        value={value.type}
        options={[
          ['short_text', 'Short text'],
          ['numeric', 'Number'],
          ['choice', 'Drop-down choice'],
        ]}
        onChange={(type) => set({ type })}
      />
      {value.type === 'numeric' && (
        <NumericKeyEditor
          prefix={prefix}
          errors={errors}
          value={value.numeric}
          onChange={(numeric) => set({ numeric })}
        />
      )}
      {value.type === 'short_text' && (
        <TextKeyEditor
          prefix={prefix}
          errors={errors}
          value={value.text}
          onChange={(text) => set({ text })}
        />
      )}
      {value.type === 'choice' && (
        <>
          <ListEditor
            legend="Choices"
            itemName="choice"
            path={`${prefix}options`}
            errors={errors}
            items={value.options}
            onChange={(options) => set({ options })}
            create={() => ''}
            renderItem={(option, index, update) => (
              <TextInput
                label={`Choice ${index + 1}`}
                path={`${prefix}options[${index}]`}
                errors={errors}
                value={option}
                onChange={update}
              />
            )}
          />
          <TextInput
            label="Right choice"
            path={`${prefix}answer`}
            errors={errors}
            value={value.answer}
            onChange={(answer) => set({ answer })}
            hint="Written exactly as one of the choices."
          />
        </>
      )}
    </>
  );
}

/** Items with an id and a text (ordering's items, matching's distractors). */
function ItemList({
  legend,
  itemName,
  path,
  errors,
  items,
  onChange,
  movable = false,
  hint,
  taken,
}: {
  legend: string;
  itemName: string;
  path: string;
  errors: ErrorsAt;
  items: readonly Item[];
  onChange: (items: Item[]) => void;
  movable?: boolean;
  hint?: string;
  /** Ids used elsewhere in the exercise, which new items must avoid. */
  taken?: readonly Item[];
}) {
  return (
    <ListEditor
      legend={legend}
      itemName={itemName}
      path={path}
      errors={errors}
      items={items}
      onChange={onChange}
      create={(current) => newItem([...(taken ?? []), ...current])}
      movable={movable}
      hint={hint}
      renderItem={(item, index, update) => (
        <ItemFields
          item={item}
          path={`${path}[${index}]`}
          name={`${itemName.charAt(0).toUpperCase()}${itemName.slice(1)} ${index + 1}`}
          errors={errors}
          onChange={update}
        />
      )}
    />
  );
}

function ItemFields({
  item,
  path,
  name,
  errors,
  onChange,
}: {
  item: Item;
  path: string;
  name: string;
  errors: ErrorsAt;
  onChange: (item: Item) => void;
}) {
  return (
    <div className="field-row">
      <TextInput
        label={`${name} text`}
        path={`${path}.text`}
        errors={errors}
        value={item.text}
        onChange={(text) => onChange({ ...item, text })}
      />
      <TextInput
        label={`${name} id`}
        path={`${path}.id`}
        errors={errors}
        className="short-input"
        value={item.id}
        onChange={(id) => onChange({ ...item, id })}
      />
    </div>
  );
}

type MatchingSpec = Extract<Spec, { type: 'matching' }>;

function MatchingEditor({ value, onChange, errors }: Editor<MatchingSpec>) {
  const taken = matchingIds(value);
  return (
    <>
      <ListEditor
        legend="Pairs"
        itemName="pair"
        path="pairs"
        errors={errors}
        items={value.pairs}
        onChange={(pairs) => onChange({ ...value, pairs })}
        create={() => {
          const left = newItem(taken, 'l');
          return { left, right: newItem([...taken, left], 'r') };
        }}
        hint="Each left item has exactly one right item. Ids must be unique within the exercise."
        renderItem={(pair, index, update) => (
          <>
            <ItemFields
              item={pair.left}
              path={`pairs[${index}].left`}
              name={`Pair ${index + 1} left`}
              errors={errors}
              onChange={(left) => update({ ...pair, left })}
            />
            <ItemFields
              item={pair.right}
              path={`pairs[${index}].right`}
              name={`Pair ${index + 1} right`}
              errors={errors}
              onChange={(right) => update({ ...pair, right })}
            />
          </>
        )}
      />
      <ItemList
        legend="Distractors"
        itemName="distractor"
        path="distractors"
        errors={errors}
        items={value.distractors}
        onChange={(distractors) => onChange({ ...value, distractors })}
        hint="Right items that match nothing, so the last pair is not found by elimination."
        taken={taken}
      />
    </>
  );
}

type FormulaSpec = Extract<Spec, { type: 'formula' }>;

function FormulaEditor({ value, onChange, errors }: Editor<FormulaSpec>) {
  const set = (changes: Partial<FormulaSpec>) => onChange({ ...value, ...changes });
  return (
    <>
      <TextInput
        label="Answer"
        path="answer"
        errors={errors}
        value={value.answer}
        onChange={(answer) => set({ answer })}
        hint="Such as 1000*(1 + r)^t: + - * / ^, implicit products, pi, e, sin cos tan asin acos atan exp ln log sqrt abs."
      />
      <ListEditor
        legend="Variables"
        itemName="variable"
        path="variables"
        errors={errors}
        items={value.variables}
        onChange={(variables) => set({ variables })}
        create={(current) => ({
          name: nextVariable(current.map((v) => v.name)),
          low: '',
          high: '',
        })}
        hint="Each with the interval its values are drawn from; the answer must be defined all over it."
        renderItem={(variable, index, update) => (
          <div className="field-row">
            <TextInput
              label={`Variable ${index + 1} name`}
              path={`variables.${variable.name.trim()}`}
              errors={errors}
              className="short-input"
              value={variable.name}
              onChange={(name) => update({ ...variable, name })}
            />
            <TextInput
              label="From"
              path={`variables.${variable.name.trim()}.low`}
              errors={errors}
              inputMode="decimal"
              value={variable.low}
              onChange={(low) => update({ ...variable, low })}
            />
            <TextInput
              label="To"
              path={`variables.${variable.name.trim()}.high`}
              errors={errors}
              inputMode="decimal"
              value={variable.high}
              onChange={(high) => update({ ...variable, high })}
            />
          </div>
        )}
      />
      <div className="field-row">
        <TextInput
          label="Sample points"
          path="samples"
          errors={errors}
          inputMode="numeric"
          value={value.samples}
          onChange={(samples) => set({ samples })}
          hint="Empty: 20."
        />
        <TextInput
          label="Tolerance"
          path="tolerance"
          errors={errors}
          inputMode="decimal"
          value={value.tolerance}
          onChange={(tolerance) => set({ tolerance })}
          hint="Relative; empty: 0.000001."
        />
      </div>
    </>
  );
}

function nextVariable(taken: readonly string[]): string {
  for (const name of ['x', 'y', 'z', 'a', 'b', 'c', 'n', 't', 'u', 'v', 'w']) {
    if (!taken.includes(name)) return name;
  }
  return `x${taken.length}`;
}
