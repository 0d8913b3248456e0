import type { FunctionComponent } from "react";
import { Button } from "@babylonjs/inspector";
import type { WorkspaceTask } from "../workspace/sanerfWorkspace";

/**
 * The running task: its label, a progress bar and a Cancel button.
 * @param props the task
 * @param props.task the running task (nothing is shown when null)
 * @returns the line
 */
export const ProgressLine: FunctionComponent<{ task: WorkspaceTask | null }> = ({ task }) => {
    if (!task) {
        return null;
    }
    const percent = task.progress === null ? null : Math.round(task.progress * 100);
    return (
        <div data-testid="sanerf-progress" style={{ display: "flex", flexDirection: "column", gap: 4, margin: "6px 0" }}>
            <div style={{ fontSize: 12 }}>{percent === null ? `${task.label}…` : `${task.label}: ${percent}%`}</div>
            <progress max={100} value={percent ?? undefined} style={{ width: "100%" }} />
            <Button label="Cancel" appearance="subtle" onClick={task.cancel} />
        </div>
    );
};
