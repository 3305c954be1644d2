package dev.heft.core.arch.torch;

import dev.heft.core.classify.LayerKind;
import dev.heft.core.error.InvalidInputException;

/**
 * {@code torch.nn.RNN}, {@code LSTM} and {@code GRU} (torch/nn/modules/rnn.py, RNNBase): {@code (input_size,
 * hidden_size, num_layers=1, bias=True, batch_first=False, dropout=0.0, bidirectional=False, proj_size=0)}.
 * Per layer and direction (suffix {@code _reverse}): {@code weight_ih_l{k} [gates*H, in_k]}, {@code weight_hh_l{k}
 * [gates*H, H_out]}, {@code bias_ih_l{k}}, {@code bias_hh_l{k} [gates*H]}, and for LSTM with proj_size
 * {@code weight_hr_l{k} [P, H]}; gates is 4 for LSTM, 3 for GRU, 1 for RNN; {@code H_out} is P when projecting, else
 * H; {@code in_k} is input_size for layer 0 and {@code H_out * directions} above.
 */
public final class Recurrent extends Module {
    /** The three RNNBase modes and their gate counts. */
    public enum Mode {
        RNN(1),
        LSTM(4),
        GRU(3);

        private final int gates;

        Mode(int gates) {
            this.gates = gates;
        }

        public int gates() {
            return gates;
        }
    }

    private final Mode mode;
    private final long input;
    private final long hidden;
    private final long layers;
    private final boolean bidirectional;
    private final long proj;
    private final boolean batchFirst;

    public Recurrent(
            Mode mode,
            long input,
            long hidden,
            long layers,
            boolean bias,
            boolean batchFirst,
            boolean bidirectional,
            long proj) {
        super(mode.name(), LayerKind.OTHER);
        if (proj < 0 || (proj > 0 && (mode != Mode.LSTM || proj >= hidden))) {
            throw new InvalidInputException(
                    mode + ": proj_size must be 0, or for LSTM smaller than hidden_size (" + hidden + "), got " + proj);
        }
        if (layers < 1) {
            throw new InvalidInputException(mode + ": num_layers must be at least 1, got " + layers);
        }
        this.mode = mode;
        this.input = input;
        this.hidden = hidden;
        this.layers = layers;
        this.bidirectional = bidirectional;
        this.proj = proj;
        this.batchFirst = batchFirst;
        long gate = Math.multiplyExact(mode.gates(), hidden);
        long out = outWidth();
        for (long l = 0; l < layers; l++) {
            long in = l == 0 ? input : out * directions();
            for (int d = 0; d < directions(); d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                parameter("weight_ih" + sfx, gate, in);
                parameter("weight_hh" + sfx, gate, out);
                if (bias) {
                    parameter("bias_ih" + sfx, gate);
                    parameter("bias_hh" + sfx, gate);
                }
                if (proj > 0) {
                    parameter("weight_hr" + sfx, proj, hidden);
                }
            }
        }
    }

    private int directions() {
        return bidirectional ? 2 : 1;
    }

    private long outWidth() {
        return proj > 0 ? proj : hidden;
    }

    /**
     * Counted as FlopCounterMode sees an fp32 CPU forward (aten/src/ATen/native/RNN.cpp, torch 2.11). An LSTM without
     * projections runs as one oneDNN kernel ({@code aten.mkldnn_rnn}, chosen by {@code use_mkldnn}) that has no
     * formula: 0, with the hidden work in a note. GRU, RNN and a projecting LSTM run {@code _rnn_impl}: per layer and
     * direction one input projection over the whole sequence, then per time step a hidden projection (and the LSTM
     * {@code weight_hr} product), all {@code addmm}/{@code mm}. (On CUDA every mode is one cuDNN kernel: 0.)
     */
    @Override
    public Shape forward(Shape x, FlopCounter flops) {
        require(
                (x.rank() == 3 || x.rank() == 2) && x.dim(-1) == input,
                x,
                "[T, N, " + input + "] (batch_first [N, T, " + input + "], or unbatched [T, " + input + "])");
        long t = x.rank() == 3 && batchFirst ? x.dim(1) : x.dim(0);
        long n = x.rank() == 3 ? (batchFirst ? x.dim(0) : x.dim(1)) : 1;
        long gate = mode.gates() * hidden;
        FlopCounter work = new FlopCounter();
        for (long l = 0; l < layers; l++) {
            long in = l == 0 ? input : outWidth() * directions();
            for (int d = 0; d < directions(); d++) {
                long rows = Math.multiplyExact(t, n);
                work.mm(rows, in, gate);
                // T steps of [N, H_out] @ [H_out, gates*H] (and [N, H] @ [H, P]) total the same as one [T*N] product
                work.mm(rows, outWidth(), gate);
                if (proj > 0) {
                    work.mm(rows, hidden, proj);
                }
            }
        }
        if (mode == Mode.LSTM && proj == 0) {
            flops.uncounted("LSTM runs as one oneDNN kernel (aten.mkldnn_rnn), which FlopCounterMode does not count ("
                    + work.flops() + " FLOPs of matrix products inside)");
        } else {
            flops.addAll(work);
        }
        return x.with(-1, outWidth() * directions());
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return mode.name();
    }
}
