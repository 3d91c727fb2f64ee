import { mount } from 'svelte';
import App from './App.svelte';
import './ui/app.css';

mount(App, { target: document.getElementById('app')! });

// Offline support for the hosted build (see build/offline.ts). Relative URL: works under any sub-path.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('./sw.js').catch(() => {
      // Offline use is a convenience; the app works without it (e.g. file:// or private mode).
    });
  });
}
