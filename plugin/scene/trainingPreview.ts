import type { NerfTrainer, TrainingStepEvent } from "../core/nerf/nerfTrainer";
import type { NerfNode } from "./nerfNode";

/** Options of {@link ConnectTrainingPreview}. */
export interface TrainingPreviewOptions {
    /** Upload the field to the node at most every this many iterations (default 200). */
    readonly everyIterations?: number;
    /** Called with each error while exporting (default console.error). */
    readonly onError?: (error: unknown) => void;
}

/**
 * Shows a field live while it trains: every `everyIterations` (on the trainer's step events) the
 * field is downloaded and uploaded to the node's 3D textures; one transfer at a time, so a slow
 * upload skips steps instead of piling up. The final field is shown when training finishes.
 * @param node the node that shows the field
 * @param trainer the trainer
 * @param options upload interval
 * @returns a function that disconnects the preview
 */
export function ConnectTrainingPreview(node: NerfNode, trainer: NerfTrainer, options: TrainingPreviewOptions = {}): () => void {
    const every = options.everyIterations ?? 200;
    let busy = false;
    let lastUploaded = -Infinity;
    const uploadAsync = async (): Promise<void> => {
        busy = true;
        try {
            const field = await trainer.exportFieldAsync();
            if (!node.isDisposed()) {
                node.setField(field);
            }
            lastUploaded = field.metadata.iterations;
        } catch (error) {
            (options.onError ?? console.error)(error);
        } finally {
            busy = false;
        }
    };
    const remove = trainer.onStep.add((step: TrainingStepEvent) => {
        const last = step.iteration >= step.iterations;
        if (!busy && (last || step.iteration - lastUploaded >= every)) {
            void uploadAsync();
        }
    });
    return remove;
}
