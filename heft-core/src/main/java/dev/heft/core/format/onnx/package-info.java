/**
 * The ONNX reader: {@link dev.heft.core.format.onnx.OnnxReader} turns a {@code ModelProto} (onnx/onnx.proto) into a
 * {@link dev.heft.core.tensor.TensorInventory} without loading tensor data, and
 * {@link dev.heft.core.format.onnx.OnnxModelInfo} carries the model facts (IR version, producer, opset imports, op
 * histogram, quantized storage) that it also writes into the inventory metadata under {@code onnx.*}.
 *
 * <p>Inside: {@code ProtoCursor} reads the wire format with long offsets over the mapped file;
 * {@code GraphWalker} finds every tensor (initializers, sparse initializers, Constant nodes, node tensor attributes,
 * subgraphs, model-local functions); {@code TensorProtoParser} checks each against dims x data_type;
 * {@code ExternalData} resolves external data like onnx.checker; {@code TensorRoles} decides weight, quantization
 * overhead or graph constant from how the graph uses each tensor.
 */
package dev.heft.core.format.onnx;
