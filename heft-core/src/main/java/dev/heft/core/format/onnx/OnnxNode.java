package dev.heft.core.format.onnx;

import java.util.List;
import java.util.Map;

/**
 * One {@code NodeProto}: what heft needs to decide what the tensors it reads are (op, inputs by position,
 * integer attributes such as MatMulNBits' K, N, bits, block_size).
 *
 * @param domain        {@code optional string domain = 7}; "" is the default ONNX domain
 * @param opType        {@code optional string op_type = 4}
 * @param inputs        {@code repeated string input = 1}; "" marks an omitted optional input
 * @param outputs       {@code repeated string output = 2}
 * @param intAttributes attributes of type INT ({@code optional int64 i = 3}) by name
 * @param depth         0 for the main graph, +1 per subgraph (If/Loop/Scan bodies)
 * @param inFunction    whether the node sits in a model-local function body ({@code ModelProto.functions}) rather
 *                      than in the graph
 * @param moduleScope   the torch module the node was exported from ({@code encoder.layer.0.attention.self.query}),
 *                      from torch.onnx's {@code pkg.torch.onnx.name_scopes} metadata property; "" when absent
 */
record OnnxNode(
        String domain,
        String opType,
        List<String> inputs,
        List<String> outputs,
        Map<String, Long> intAttributes,
        int depth,
        boolean inFunction,
        String moduleScope) {
    OnnxNode {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        intAttributes = Map.copyOf(intAttributes);
    }

    /** The default domain is written as "" or "ai.onnx". */
    boolean isDefaultDomain() {
        return domain.isEmpty() || domain.equals("ai.onnx");
    }

    boolean is(String nodeDomain, String type) {
        boolean domainMatches = nodeDomain.isEmpty() ? isDefaultDomain() : domain.equals(nodeDomain);
        return domainMatches && opType.equals(type);
    }

    /** The histogram key: the op type, prefixed with its domain when not the default one ("com.microsoft:MatMulNBits"). */
    String histogramKey() {
        return isDefaultDomain() ? opType : domain + ":" + opType;
    }
}
