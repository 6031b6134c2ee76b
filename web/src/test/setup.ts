import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';

// jsdom has no layout, so no scrolling; the router scrolls to the top after each navigation.
window.scrollTo = () => {};

// Unmount what each test rendered, so tests never see each other's DOM.
afterEach(() => cleanup());
