// Creates a llama.cpp context with the given parameters and prints llama.cpp's own memory accounting, then exits
// without evaluating a token. llama.cpp's log lines (KV buffer, compute buffer, output buffer) go to stderr as the
// library writes them; one JSON line on stdout carries the exact bytes per buffer type from
// llama_get_memory_breakdown (src/llama-ext.h: model, context = KV cache, compute = the scheduler's buffers).
//
// Build (against the llama.cpp tree and its cmake build):
//   g++ -O1 -std=c++17 probe.cpp -I<llama.cpp>/include -I<llama.cpp>/ggml/include -I<llama.cpp>/src \
//       -L<build>/bin -lllama -lggml -lggml-base -Wl,-rpath,<build>/bin -o probe
// Usage: probe MODEL.gguf n_ctx n_batch n_ubatch flash_attn(0|1) type_k type_v n_seq_max
#include "llama.h"
#include "llama-ext.h"
#include "ggml-backend.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

static ggml_type parse_type(const char * s) {
    for (int t = 0; t < GGML_TYPE_COUNT; t++) {
        const char * name = ggml_type_name((ggml_type) t);
        if (name && strcmp(name, s) == 0) {
            return (ggml_type) t;
        }
    }
    fprintf(stderr, "unknown type %s\n", s);
    exit(2);
}

int main(int argc, char ** argv) {
    if (argc != 9) {
        fprintf(stderr, "usage: %s MODEL n_ctx n_batch n_ubatch flash_attn type_k type_v n_seq_max\n", argv[0]);
        return 2;
    }
    llama_backend_init();
    llama_model_params mp = llama_model_default_params();
    mp.n_gpu_layers = 0;
    mp.use_extra_bufts = false; // no CPU weight repacking: it would read (and copy) the weights
    llama_model * model = llama_model_load_from_file(argv[1], mp);
    if (!model) {
        return 1;
    }
    llama_context_params cp = llama_context_default_params();
    cp.n_ctx = (uint32_t) atol(argv[2]);
    cp.n_batch = (uint32_t) atol(argv[3]);
    cp.n_ubatch = (uint32_t) atol(argv[4]);
    cp.flash_attn_type = atoi(argv[5]) ? LLAMA_FLASH_ATTN_TYPE_ENABLED : LLAMA_FLASH_ATTN_TYPE_DISABLED;
    cp.type_k = parse_type(argv[6]);
    cp.type_v = parse_type(argv[7]);
    cp.n_seq_max = (uint32_t) atol(argv[8]);
    // llama-cli and llama-server keep a window-sized SWA cache unless --swa-full (common/common.h swa_full = false);
    // the C API's default is the full-size cache, so set the tools' default here
    cp.swa_full = false;
    cp.n_threads = 1;
    cp.n_threads_batch = 1;
    llama_context * ctx = llama_init_from_model(model, cp);
    if (!ctx) {
        return 1;
    }
    printf("{\"n_ctx\": %u, \"n_batch\": %u, \"n_ubatch\": %u, \"buffers\": [", llama_n_ctx(ctx), llama_n_batch(ctx),
           llama_n_ubatch(ctx));
    bool first = true;
    for (const auto & [buft, mb] : llama_get_memory_breakdown(ctx)) {
        printf("%s{\"buffer_type\": \"%s\", \"model\": %zu, \"context\": %zu, \"compute\": %zu}", first ? "" : ", ",
               ggml_backend_buft_name(buft), mb.model, mb.context, mb.compute);
        first = false;
    }
    printf("]}\n");
    llama_free(ctx);
    llama_model_free(model);
    llama_backend_free();
    return 0;
}
