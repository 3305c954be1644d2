// Reads a local GGUF's metadata and tensor infos with @huggingface/gguf (the Hub's own parser) and prints a
// summary line, so whole-process time compares with `heft inspect` on the same file.
// inspect-speed.sh copies this next to the node_modules that holds @huggingface/gguf (ESM ignores NODE_PATH).
// Usage: node gguf_hf.mjs FILE
import { gguf } from "@huggingface/gguf";
import path from "node:path";

const file = path.resolve(process.argv[2]);
const { metadata, tensorInfos, parameterCount } = await gguf(file, {
  allowLocalFile: true,
  computeParametersCount: true,
});
console.log(`gguf tensors=${tensorInfos.length} parameters=${parameterCount} metadata=${Object.keys(metadata).length}`);
