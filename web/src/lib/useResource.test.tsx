import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { useResource } from './useResource';

function Probe({ id, loads }: { id: string; loads: Map<string, (value: string) => void> }) {
  const resource = useResource(id, () => new Promise<string>((resolve) => loads.set(id, resolve)));
  return <p>{resource.state === 'ready' ? resource.data : resource.state}</p>;
}

describe('useResource', () => {
  it('shows loading, never the previous data, as soon as the key changes', async () => {
    const loads = new Map<string, (value: string) => void>();
    const { rerender } = render(<Probe id="a" loads={loads} />);
    await act(async () => loads.get('a')?.('data of a'));
    expect(screen.getByText('data of a')).toBeTruthy();

    rerender(<Probe id="b" loads={loads} />);
    expect(screen.getByText('loading')).toBeTruthy();

    // A late answer for the old key is ignored.
    await act(async () => loads.get('a')?.('late a'));
    expect(screen.getByText('loading')).toBeTruthy();
    await act(async () => loads.get('b')?.('data of b'));
    expect(screen.getByText('data of b')).toBeTruthy();
  });
});
