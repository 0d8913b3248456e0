import type { FunctionComponent } from "react";

/** The plugin's tab icon: a cube with a cut-out selection mark (plain SVG; no icon package needed). */
export const SanerfIcon: FunctionComponent = () => (
    <svg width="20" height="20" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="1.3" aria-hidden="true">
        <path d="M10 2.5 16.5 6v8L10 17.5 3.5 14V6L10 2.5Z" />
        <path d="M3.5 6 10 9.5 16.5 6M10 9.5v8" />
        <circle cx="10" cy="9.5" r="2" fill="currentColor" stroke="none" />
    </svg>
);
