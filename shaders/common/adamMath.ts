/**
 * CPU mirror of shaders/common/adamStep.wgsl: its constants and the step, for the optimizers' CPU twins.
 */

/** AdamConstants of adamStep.wgsl (part of AdamParams and ObjectAdamParams). */
export interface AdamConstants {
    readonly beta1: number;
    readonly beta2: number;
    readonly epsilon: number;
    /** 1 / (1 - beta1^t). */
    readonly biasCorrection1: number;
    /** 1 / (1 - beta2^t). */
    readonly biasCorrection2: number;
}

/**
 * CPU twin of adamStep(): one Adam step of one parameter; updates its (m, s) pair in place.
 * @param parameter the parameter's value
 * @param gradient its gradient
 * @param moments (m, s) pairs, two floats per parameter slot (updated)
 * @param slot the parameter's slot in `moments`
 * @param learningRate the step size
 * @param constants beta1, beta2, epsilon and the bias corrections
 * @returns the new value
 */
export function AdamStepCpu(parameter: number, gradient: number, moments: Float32Array, slot: number, learningRate: number, constants: AdamConstants): number {
    const m = constants.beta1 * moments[2 * slot] + (1 - constants.beta1) * gradient;
    const s = constants.beta2 * moments[2 * slot + 1] + (1 - constants.beta2) * gradient * gradient;
    moments[2 * slot] = m;
    moments[2 * slot + 1] = s;
    return parameter - (learningRate * (m * constants.biasCorrection1)) / (Math.sqrt(s * constants.biasCorrection2) + constants.epsilon);
}
