// A link made in the page for another party (a grant, a delegation): shown once, with what it carries.
import type { ComponentChildren } from 'preact';
import { CopyButton, Notice } from './kit.js';

export const LinkNotice = ({ title, label, link, children }: { title: string; label: string; link: string; children: ComponentChildren }) => (
  <Notice tone="ok" title={title}>
    <span class="small">{children}</span>
    <div class="row" style={{ marginTop: 6 }}><input aria-label={label} readOnly value={link} style={{ flex: 1 }} /><CopyButton text={link} /></div>
  </Notice>
);
