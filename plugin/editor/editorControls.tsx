/**
 * The Inspector controls the plugin's panels use (Button, TextPropertyLine, ...), written with
 * plain React for the Babylon.js Editor build: the Editor has no Babylon Inspector, so its build
 * resolves "@babylonjs/inspector" to this module (webpack alias) and the same panels render in
 * the Editor's tab. Same names and props as the Inspector's; styled to sit in the Editor's
 * dark panels (inherit the text colour, translucent backgrounds).
 */
import { useEffect, useState, type CSSProperties, type FunctionComponent, type ReactNode } from "react";
import type { Observable } from "@babylonjs/core/Misc/observable";

const line: CSSProperties = { display: "flex", justifyContent: "space-between", alignItems: "center", gap: 8, fontSize: 12, minHeight: 22 };
const label: CSSProperties = { opacity: 0.75, whiteSpace: "nowrap" };

/** A button ("primary", "secondary" or "subtle"). */
export const Button: FunctionComponent<{ label: string; onClick?: () => void; disabled?: boolean; appearance?: "primary" | "secondary" | "subtle" | "transparent"; title?: string }> = ({ label: text, onClick, disabled, appearance = "secondary", title }) => {
    const background = appearance === "primary" ? "#2f6fed" : appearance === "secondary" ? "rgba(127,127,127,0.25)" : "transparent";
    return (
        <button
            type="button"
            title={title}
            disabled={disabled}
            onClick={onClick}
            style={{ background, color: "inherit", border: appearance === "subtle" ? "1px solid rgba(127,127,127,0.35)" : "1px solid transparent", borderRadius: 4, padding: "3px 8px", fontSize: 12, cursor: disabled ? "default" : "pointer", opacity: disabled ? 0.45 : 1 }}
        >
            {text}
        </button>
    );
};

/** A full-width button line. */
export const ButtonLine: FunctionComponent<{ label: string; onClick?: () => void; disabled?: boolean }> = (props) => (
    <div style={{ display: "flex" }}>
        <Button {...props} />
    </div>
);

/** A label and a read-only value. */
export const TextPropertyLine: FunctionComponent<{ label: string; value: string }> = ({ label: text, value }) => (
    <div style={line}>
        <span style={label}>{text}</span>
        <span style={{ textAlign: "right", overflowWrap: "anywhere" }}>{value}</span>
    </div>
);

/** A label, a slider and its value. */
export const SyncedSliderPropertyLine: FunctionComponent<{ label: string; value: number; min: number; max: number; step?: number; onChange: (value: number) => void }> = ({ label: text, value, min, max, step = 1, onChange }) => (
    <div style={line}>
        <span style={label}>{text}</span>
        <input aria-label={text} type="range" min={min} max={max} step={step} value={value} onChange={(event) => onChange(Number(event.target.value))} style={{ flex: 1 }} />
        <input aria-label={`${text} value`} type="number" min={min} max={max} step={step} value={value} onChange={(event) => onChange(Number(event.target.value))} style={{ width: 64, background: "transparent", color: "inherit", border: "1px solid rgba(127,127,127,0.35)", borderRadius: 3 }} />
    </div>
);

/** A label and an on / off switch. */
export const SwitchPropertyLine: FunctionComponent<{ label: string; value: boolean; onChange: (value: boolean) => void }> = ({ label: text, value, onChange }) => (
    <label style={line}>
        <span style={label}>{text}</span>
        <input type="checkbox" checked={value} onChange={(event) => onChange(event.target.checked)} />
    </label>
);

const intents: Record<string, string> = { error: "rgba(220,60,60,0.25)", warning: "rgba(230,170,40,0.25)", success: "rgba(60,180,90,0.25)", info: "rgba(80,140,230,0.2)" };

/** A message box ("error", "warning", "success" or "info"). */
export const MessageBar: FunctionComponent<{ intent: "error" | "warning" | "success" | "info"; title?: string; message: ReactNode }> = ({ intent, title, message }) => (
    <div role={intent === "error" ? "alert" : "status"} style={{ background: intents[intent], borderRadius: 4, padding: "4px 8px", fontSize: 12 }}>
        {title && <strong>{title}: </strong>}
        {message}
    </div>
);

/**
 * A value read from `read` again whenever the observable fires (the Inspector's hook of this name).
 * @param read reads the value
 * @param observable fires when it may have changed
 * @returns the current value
 */
export function useObservableState<T>(read: () => T, observable: Observable<unknown>): T {
    const [, setVersion] = useState(0);
    useEffect(() => {
        const observer = observable.add(() => setVersion((n) => n + 1));
        return () => {
            observable.remove(observer);
        };
    }, [observable]);
    return read();
}
