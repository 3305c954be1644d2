package dev.heft.core.api;

import dev.heft.core.api.report.CompressReport;
import dev.heft.core.api.report.EstimateReport;
import dev.heft.core.api.report.FitReport;
import dev.heft.core.api.report.InspectReport;
import dev.heft.core.api.report.MemoryReport;
import dev.heft.core.api.report.NetworkFitReport;
import dev.heft.core.api.report.NetworkMemoryReport;
import dev.heft.core.api.report.NetworkSpeedReport;
import dev.heft.core.api.report.QuantErrorReport;
import dev.heft.core.api.report.SpeedReport;
import dev.heft.core.api.report.TrainingReport;
import dev.heft.core.api.request.CompressRequest;
import dev.heft.core.api.request.EstimateRequest;
import dev.heft.core.api.request.FitRequest;
import dev.heft.core.api.request.InspectRequest;
import dev.heft.core.api.request.MemoryRequest;
import dev.heft.core.api.request.NetworkFitRequest;
import dev.heft.core.api.request.NetworkMemoryRequest;
import dev.heft.core.api.request.NetworkSpeedRequest;
import dev.heft.core.api.request.QuantErrorRequest;
import dev.heft.core.api.request.SpeedRequest;
import dev.heft.core.api.request.TrainingRequest;
import dev.heft.core.error.InvalidInputException;
import dev.heft.core.model.ModelProfile;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.service.CompressService;
import dev.heft.core.service.EstimateService;
import dev.heft.core.service.FitService;
import dev.heft.core.service.InspectService;
import dev.heft.core.service.MemoryService;
import dev.heft.core.service.NetworkServices;
import dev.heft.core.service.QuantErrorService;
import dev.heft.core.service.SpeedService;

/**
 * A model opened by {@link Heft#open}: stored weights, an architecture description or a catalog entry. Every question
 * heft answers about it is one method taking a request record and returning an immutable report record; each report's
 * components are its {@code --json} keys. A model is immutable and safe to share between threads.
 *
 * <pre>{@code
 * Model m = Heft.create().open("llama-3-8b");
 * MemoryReport r = m.memory(MemoryRequest.defaults().withDtype("q4_k_m"));
 * long bytes = r.totalBytes();
 * }</pre>
 */
public final class Model {
    private final Heft heft;
    private final ResolvedModel resolved;
    private volatile ModelProfile profile;

    Model(Heft heft, ResolvedModel resolved) {
        this.heft = heft;
        this.resolved = resolved;
    }

    /** The model as it was named: a path, a catalog id. */
    public String label() {
        return resolved.label();
    }

    /** Exact weight accounting of stored weights (a file or folder; not an architecture description). */
    public InspectReport inspect(InspectRequest request) {
        return InspectService.run(resolved, request);
    }

    public InspectReport inspect() {
        return inspect(InspectRequest.defaults());
    }

    /** Exact counts and FLOPs from the architecture, and how they scale with context. */
    public EstimateReport estimate(EstimateRequest request) {
        return EstimateService.run(resolved, profile(), request);
    }

    public EstimateReport estimate() {
        return estimate(EstimateRequest.defaults());
    }

    /**
     * Whether this is a torch.nn network (a torchvision model, a layer spec): its memory, fit and speed are
     * {@link #networkMemory}, {@link #networkFit} and {@link #networkSpeed}, in images rather than tokens.
     */
    public boolean isNetwork() {
        return resolved instanceof ResolvedModel.Network;
    }

    /** Inference memory: weights at a precision, KV cache, activations, logits, runtime overhead. */
    public MemoryReport memory(MemoryRequest request) {
        notNetwork("memory", "networkMemory");
        return MemoryService.inference(profile(), request, heft.deviceRegistry());
    }

    /** A torch.nn network's inference memory: weights, buffers, input, peak live activations, CUDA context. */
    public NetworkMemoryReport networkMemory(NetworkMemoryRequest request) {
        return NetworkServices.memory(network("networkMemory", "memory"), request, heft.deviceRegistry());
    }

    /** Which devices a torch.nn network fits at which precisions, with the largest batch and images per second. */
    public NetworkFitReport networkFit(NetworkFitRequest request) {
        return NetworkServices.fit(network("networkFit", "fit"), request, heft.deviceRegistry());
    }

    /** A torch.nn network's images per second on one device. */
    public NetworkSpeedReport networkSpeed(NetworkSpeedRequest request) {
        return NetworkServices.speed(network("networkSpeed", "speed"), request, heft.deviceRegistry());
    }

    public MemoryReport memory() {
        return memory(MemoryRequest.defaults());
    }

    /** Training memory: weights, gradients, optimizer states, saved activations, with the peak of what coexists. */
    public TrainingReport training(TrainingRequest request) {
        return MemoryService.training(profile(), request, heft.deviceRegistry());
    }

    /** Which devices it fits at which precisions, with the longest context and estimated speed. */
    public FitReport fit(FitRequest request) {
        notNetwork("fit", "networkFit");
        return FitService.run(profile(), request, heft.deviceRegistry());
    }

    /** Estimated decode and prefill speed on one device. */
    public SpeedReport speed(SpeedRequest request) {
        notNetwork("speed", "networkSpeed");
        return SpeedService.run(profile(), request, heft.deviceRegistry());
    }

    /** What quantization, pruning or distillation would buy. */
    public CompressReport compress(CompressRequest request) {
        return CompressService.run(resolved, profile(), request, heft.deviceRegistry());
    }

    /** Measured quantization error of every floating-point tensor (reads the tensor data, streamed). */
    public QuantErrorReport quantError(QuantErrorRequest request, Progress progress) {
        return QuantErrorService.run(
                resolved,
                request,
                (tensorsDone, tensorsTotal, bytesDone, bytesTotal) ->
                        progress.update(bytesDone, bytesTotal, "bytes", tensorsDone + "/" + tensorsTotal + " tensors"));
    }

    public QuantErrorReport quantError(QuantErrorRequest request) {
        return quantError(request, Progress.NONE);
    }

    private void notNetwork(String method, String networkMethod) {
        if (isNetwork()) {
            throw new InvalidInputException(label() + " is a torch.nn network: its " + method + " is " + networkMethod
                    + "(...), in images rather than tokens");
        }
    }

    private ResolvedModel.Network network(String method, String transformerMethod) {
        if (resolved instanceof ResolvedModel.Network n) {
            return n;
        }
        throw new InvalidInputException(label() + " is not a torch.nn network: " + method + " is for torchvision "
                + "models and layer specs; use " + transformerMethod + "(...)");
    }

    ResolvedModel resolved() {
        return resolved;
    }

    Heft heft() {
        return heft;
    }

    /** What memory, fit, speed and compress need, built once per model. */
    ModelProfile profile() {
        ModelProfile p = profile;
        if (p == null) {
            p = ModelProfile.of(resolved);
            profile = p;
        }
        return p;
    }

    @Override
    public String toString() {
        return "Model[" + label() + "]";
    }
}
