import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ConfirmButton } from './ConfirmButton';

describe('ConfirmButton', () => {
  it('asks first, then puts focus back on the button when nothing else took it', async () => {
    let confirmed = 0;
    render(
      <ConfirmButton
        question="Delete it?"
        confirmLabel="Delete the lesson"
        onConfirm={() => void confirmed++}
      >
        Delete
      </ConfirmButton>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete the lesson' }));
    fireEvent.click(screen.getByRole('button', { name: 'Delete the lesson' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Delete' })).toBeTruthy());
    expect(confirmed).toBe(1);
    await waitFor(() =>
      expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Delete' })),
    );
  });

  it('leaves focus where the action put it (a stale-draft notice, say)', async () => {
    render(
      <>
        <p tabIndex={-1} id="notice">
          Someone else changed this course
        </p>
        <ConfirmButton
          question="Replace the draft?"
          confirmLabel="Import the file"
          onConfirm={() => document.getElementById('notice')?.focus()}
        >
          Import
        </ConfirmButton>
      </>,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Import' }));
    fireEvent.click(screen.getByRole('button', { name: 'Import the file' }));
    await waitFor(() => expect(screen.getByRole('button', { name: 'Import' })).toBeTruthy());
    expect(document.activeElement?.id).toBe('notice');
  });
});
