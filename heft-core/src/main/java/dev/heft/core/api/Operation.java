package dev.heft.core.api;

import dev.heft.core.api.render.Document;
import dev.heft.core.api.render.Format;
import dev.heft.core.api.render.Renderer;
import dev.heft.core.api.report.Report;
import dev.heft.core.api.report.ReportJson;
import dev.heft.core.error.InvalidInputException;
import java.util.List;
import java.util.function.Function;

/**
 * One thing heft does ({@code memory}, {@code fit}, ...), described once for every face: its name and help text, the
 * models it takes, its options ({@link Param}), how its request record is built from their values (and the models: a
 * torch.nn network gets its own request), how it runs, and how its report reads for people. The CLI and the HTTP API are generated from these descriptions.
 *
 * @param name        the command and endpoint name ({@code quant-error}: {@code heft quant-error}, {@code /api/quant-error})
 * @param summary     one line for command lists
 * @param description the help text
 * @param models      how many MODEL arguments it takes
 * @param params      its options, in the order help lists them
 * @param reports     the report records it answers with (memory: inference or training)
 * @param http        whether the HTTP API serves it (it never reads local files on a request's behalf)
 * @param <Q>         its request record
 */
public record Operation<Q>(
        String name,
        String summary,
        String description,
        Models models,
        List<Param<?>> params,
        Request<Q> request,
        Runner<Q> runner,
        View<Q> view,
        List<Class<? extends Report>> reports,
        boolean http) {
    public Operation {
        params = List.copyOf(params);
        reports = List.copyOf(reports);
    }

    /** An operation whose request depends on the option values alone. */
    public Operation(
            String name,
            String summary,
            String description,
            Models models,
            List<Param<?>> params,
            Function<ParamValues, Q> request,
            Runner<Q> runner,
            View<Q> view,
            List<Class<? extends Report>> reports,
            boolean http) {
        this(
                name,
                summary,
                description,
                models,
                params,
                (values, opened) -> request.apply(values),
                runner,
                view,
                reports,
                http);
    }

    /** How many MODEL arguments an operation takes. */
    public enum Models {
        NONE,
        ONE,
        TWO_OR_MORE
    }

    /** Builds the request record from the option values, for the models it will run on. */
    @FunctionalInterface
    public interface Request<Q> {
        Q build(ParamValues values, List<Model> models);
    }

    @FunctionalInterface
    public interface Runner<Q> {
        Report run(Heft heft, List<Model> models, Q request, Progress progress);
    }

    @FunctionalInterface
    public interface View<Q> {
        Document view(Report report, Q request);
    }

    /** A report with the request that produced it, ready to print in any format. */
    public record Result(Report report, Document document) {
        public String render(Format format) {
            return format == Format.JSON ? ReportJson.write(report) + "\n" : Renderer.render(document, format);
        }
    }

    /** Builds the request from option values and runs it. */
    public Result run(Heft heft, List<Model> models, ParamValues values, Progress progress) {
        Q q = buildRequest(models, values);
        Report report = runner.run(heft, models, q, progress);
        return new Result(report, view.view(report, q));
    }

    /**
     * The report alone, without its document for people: for callers that only write JSON (the HTTP API), where
     * building the unused document cost about a fifth of a {@code /api/estimate} request's CPU.
     */
    public Report report(Heft heft, List<Model> models, ParamValues values, Progress progress) {
        return runner.run(heft, models, buildRequest(models, values), progress);
    }

    private Q buildRequest(List<Model> models, ParamValues values) {
        int n = models.size();
        boolean ok = switch (this.models) {
            case NONE -> n == 0;
            case ONE -> n == 1;
            case TWO_OR_MORE -> n >= 2;
        };
        if (!ok) {
            throw new InvalidInputException(name + ": takes "
                    + switch (this.models) {
                        case NONE -> "no model";
                        case ONE -> "one model";
                        case TWO_OR_MORE -> "two or more models";
                    }
                    + ", got " + n);
        }
        return request.build(values, models);
    }
}
