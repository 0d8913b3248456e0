import { onnx } from "onnx-proto";

/** Element types our graphs use (ONNX TensorProto.DataType values). */
export type OnnxElementType = "float32" | "int64" | "int32" | "bool";

const ElementTypeCode: Record<OnnxElementType, number> = {
    float32: onnx.TensorProto.DataType.FLOAT,
    int64: onnx.TensorProto.DataType.INT64,
    int32: onnx.TensorProto.DataType.INT32,
    bool: onnx.TensorProto.DataType.BOOL,
};

/** One dimension: a fixed size or a symbolic name. */
export type OnnxDimension = number | string;

/**
 * A node attribute value: a number (INT when it is an integer, else FLOAT), `{ float }` for a FLOAT
 * whose value happens to be an integer, an array (INTS), a string, `{ floats }` or a float tensor.
 */
export type OnnxAttributeValue = number | number[] | string | { float: number } | { floats: number[] } | { tensor: { data: Float32Array; dims: number[] } };

/**
 * Writes ONNX models (opset 17, IR 8) from TypeScript with onnx-proto: used for the built-in
 * stand-in segmenter and for test models. Graph-building only; no inference here.
 */
export class OnnxGraphBuilder {
    private readonly _nodes: onnx.INodeProto[] = [];
    private readonly _inputs: onnx.IValueInfoProto[] = [];
    private readonly _outputs: onnx.IValueInfoProto[] = [];
    private readonly _initializers: onnx.ITensorProto[] = [];
    private readonly _name: string;
    private _counter = 0;

    /** @param name graph name */
    public constructor(name: string) {
        this._name = name;
    }

    /**
     * Declares a graph input.
     * @param name tensor name
     * @param type element type
     * @param dims shape (numbers or symbolic names)
     * @returns the name
     */
    public input(name: string, type: OnnxElementType, dims: OnnxDimension[]): string {
        this._inputs.push(OnnxGraphBuilder._ValueInfo(name, type, dims));
        return name;
    }

    /**
     * Declares a graph output.
     * @param name tensor name (must be produced by a node)
     * @param type element type
     * @param dims shape
     * @returns the name
     */
    public output(name: string, type: OnnxElementType, dims: OnnxDimension[]): string {
        this._outputs.push(OnnxGraphBuilder._ValueInfo(name, type, dims));
        return name;
    }

    /**
     * Adds a float constant tensor (initializer).
     * @param name tensor name (a fresh one when empty)
     * @param data values
     * @param dims shape
     * @returns the name
     */
    public constant(name: string, data: Float32Array | number[], dims: number[]): string {
        const tensorName = name || this._fresh("const");
        this._initializers.push({ name: tensorName, dataType: ElementTypeCode.float32, dims, floatData: Array.from(data) });
        return tensorName;
    }

    /**
     * Adds an int64 constant tensor (shapes, axes, indices).
     * @param name tensor name (a fresh one when empty)
     * @param data values
     * @param dims shape (defaults to [data.length])
     * @returns the name
     */
    public constantInt64(name: string, data: number[], dims: number[] = [data.length]): string {
        const tensorName = name || this._fresh("const_i64");
        this._initializers.push({ name: tensorName, dataType: ElementTypeCode.int64, dims, int64Data: data });
        return tensorName;
    }

    /**
     * Adds a node with one output.
     * @param opType ONNX operator
     * @param inputs input tensor names ("" for an omitted optional input)
     * @param attributes attributes by name
     * @param outputName output name (a fresh one when omitted)
     * @returns the output name
     */
    public node(opType: string, inputs: string[], attributes: Record<string, OnnxAttributeValue> = {}, outputName?: string): string {
        const output = outputName ?? this._fresh(opType.toLowerCase());
        this.nodeMulti(opType, inputs, [output], attributes);
        return output;
    }

    /**
     * Adds a node with several outputs.
     * @param opType ONNX operator
     * @param inputs input tensor names
     * @param outputs output tensor names
     * @param attributes attributes by name
     * @returns the output names
     */
    public nodeMulti(opType: string, inputs: string[], outputs: string[], attributes: Record<string, OnnxAttributeValue> = {}): string[] {
        this._nodes.push({
            opType,
            input: inputs,
            output: outputs,
            name: this._fresh(`${opType}_node`),
            attribute: Object.entries(attributes).map(([name, value]) => OnnxGraphBuilder._Attribute(name, value)),
        });
        return outputs;
    }

    /**
     * Serializes the model.
     * @param producer producer name written into the model
     * @returns the .onnx bytes
     */
    public toBytes(producer = "babylon-sanerf-hq"): Uint8Array {
        const model = onnx.ModelProto.create({
            irVersion: 8,
            producerName: producer,
            opsetImport: [{ domain: "", version: 17 }],
            graph: {
                name: this._name,
                node: this._nodes,
                input: this._inputs,
                output: this._outputs,
                initializer: this._initializers,
            },
        });
        return onnx.ModelProto.encode(model).finish();
    }

    private _fresh(prefix: string): string {
        return `${prefix}_${this._counter++}`;
    }

    private static _ValueInfo(name: string, type: OnnxElementType, dims: OnnxDimension[]): onnx.IValueInfoProto {
        return {
            name,
            type: {
                tensorType: {
                    elemType: ElementTypeCode[type],
                    shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
                },
            },
        };
    }

    private static _Attribute(name: string, value: OnnxAttributeValue): onnx.IAttributeProto {
        const types = onnx.AttributeProto.AttributeType;
        if (typeof value === "number") {
            return Number.isInteger(value) ? { name, type: types.INT, i: value } : { name, type: types.FLOAT, f: value };
        }
        if (typeof value === "string") {
            return { name, type: types.STRING, s: new TextEncoder().encode(value) };
        }
        if (Array.isArray(value)) {
            return { name, type: types.INTS, ints: value };
        }
        if ("float" in value) {
            return { name, type: types.FLOAT, f: value.float };
        }
        if ("floats" in value) {
            return { name, type: types.FLOATS, floats: value.floats };
        }
        return { name, type: types.TENSOR, t: { dataType: ElementTypeCode.float32, dims: value.tensor.dims, floatData: Array.from(value.tensor.data) } };
    }
}
