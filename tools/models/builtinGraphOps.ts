import type { OnnxGraphBuilder } from "./onnxGraphBuilder";

/**
 * Terse helpers over {@link OnnxGraphBuilder} for the built-in model's graphs (opset 17 operator
 * signatures: ReduceSum / Slice / Pad / Unsqueeze take axes as int64 inputs, ReduceMax / ReduceMean
 * as attributes). Each method adds one node and returns its output name.
 */
export class BuiltinGraphOps {
    /** The builder nodes are added to. */
    public readonly graph: OnnxGraphBuilder;

    /** @param graph the builder to add nodes to */
    public constructor(graph: OnnxGraphBuilder) {
        this.graph = graph;
    }

    /**
     * A float scalar constant.
     * @param value the value
     * @returns its name
     */
    public scalar(value: number): string {
        return this.graph.constant("", [value], []);
    }

    /**
     * An int64 vector constant.
     * @param values the values
     * @returns its name
     */
    public ints(values: number[]): string {
        return this.graph.constantInt64("", values);
    }

    /**
     * Element-wise binary operator with broadcasting.
     * @param op Add, Sub, Mul, Div, Min, Max, Equal, Greater
     * @param a first operand (a name, or a number made into a scalar constant)
     * @param b second operand (a name, or a number made into a scalar constant)
     * @param name output name (fresh when omitted)
     * @returns the output
     */
    public binary(op: string, a: string | number, b: string | number, name?: string): string {
        const left = typeof a === "number" ? this.scalar(a) : a;
        const right = typeof b === "number" ? this.scalar(b) : b;
        return this.graph.node(op, [left, right], {}, name);
    }

    /**
     * Element-wise unary operator.
     * @param op Exp, Relu, Sigmoid, Floor...
     * @param x input
     * @returns the output
     */
    public unary(op: string, x: string): string {
        return this.graph.node(op, [x]);
    }

    /**
     * Float copy of a boolean test `x == value`.
     * @param x input
     * @param value compared value
     * @returns 1 where equal, else 0
     */
    public equalFloat(x: string, value: number): string {
        return this.cast(this.binary("Equal", x, value), 1);
    }

    /**
     * Cast to an ONNX data type (1 float, 7 int64).
     * @param x input
     * @param to data type code
     * @returns the output
     */
    public cast(x: string, to: number): string {
        return this.graph.node("Cast", [x], { to });
    }

    /**
     * Reshape to a fixed shape (-1 and 0 as in ONNX).
     * @param x input
     * @param shape the new shape
     * @param name output name (fresh when omitted)
     * @returns the output
     */
    public reshape(x: string, shape: number[], name?: string): string {
        return this.graph.node("Reshape", [x, this.ints(shape)], {}, name);
    }

    /**
     * Slice along axes.
     * @param x input
     * @param starts start per axis
     * @param ends end per axis (exclusive)
     * @param axes the axes
     * @returns the output
     */
    public slice(x: string, starts: number[], ends: number[], axes: number[]): string {
        return this.graph.node("Slice", [x, this.ints(starts), this.ints(ends), this.ints(axes)]);
    }

    /**
     * ReduceSum (axes as an input).
     * @param x input
     * @param axes reduced axes
     * @param keepdims keep reduced axes as size 1
     * @returns the output
     */
    public reduceSum(x: string, axes: number[], keepdims: boolean): string {
        return this.graph.node("ReduceSum", [x, this.ints(axes)], { keepdims: keepdims ? 1 : 0 });
    }

    /**
     * ReduceMax (axes as an attribute; all axes when omitted).
     * @param x input
     * @param axes reduced axes, or undefined for all
     * @param keepdims keep reduced axes as size 1
     * @returns the output
     */
    public reduceMax(x: string, axes: number[] | undefined, keepdims: boolean): string {
        return this.graph.node("ReduceMax", [x], axes ? { axes, keepdims: keepdims ? 1 : 0 } : { keepdims: keepdims ? 1 : 0 });
    }

    /**
     * ReduceMin (axes as an attribute).
     * @param x input
     * @param axes reduced axes
     * @param keepdims keep reduced axes as size 1
     * @returns the output
     */
    public reduceMin(x: string, axes: number[], keepdims: boolean): string {
        return this.graph.node("ReduceMin", [x], { axes, keepdims: keepdims ? 1 : 0 });
    }

    /**
     * Average pooling over square windows without padding.
     * @param x NCHW input
     * @param size window and stride
     * @returns the output
     */
    public averagePool(x: string, size: number): string {
        return this.graph.node("AveragePool", [x], { kernel_shape: [size, size], strides: [size, size] });
    }

    /**
     * Max pooling with stride 1 and "same" padding (odd window), or non-overlapping windows.
     * @param x NCHW input
     * @param size window size
     * @param stride 1 (same size output) or `size` (downsampling)
     * @returns the output
     */
    public maxPool(x: string, size: number, stride: number): string {
        const pad = stride === 1 ? (size - 1) / 2 : 0;
        return this.graph.node("MaxPool", [x], { kernel_shape: [size, size], strides: [stride, stride], pads: [pad, pad, pad, pad] });
    }

    /**
     * Concatenation.
     * @param inputs inputs in order
     * @param axis the axis
     * @returns the output
     */
    public concat(inputs: string[], axis: number): string {
        return this.graph.node("Concat", inputs, { axis });
    }

    /**
     * Resize by fixed scales (NCHW).
     * @param x input
     * @param scales one factor per axis
     * @param mode "nearest" or "linear" (half-pixel coordinates, like align_corners=False)
     * @returns the output
     */
    public resizeByScales(x: string, scales: number[], mode: "nearest" | "linear"): string {
        return this.graph.node("Resize", [x, "", this.graph.constant("", scales, [scales.length])], { mode, coordinate_transformation_mode: "half_pixel" });
    }
}
