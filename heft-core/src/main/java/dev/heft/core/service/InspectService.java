package dev.heft.core.service;

import dev.heft.core.error.InvalidInputException;
import dev.heft.core.model.ResolvedModel;
import dev.heft.core.report.InspectJson;
import dev.heft.core.report.InspectReport;
import dev.heft.core.report.InspectText;
import java.util.Set;

/** {@code heft inspect}: exact weight accounting of stored weights. */
public final class InspectService {
    public static final Set<String> OPTIONS = Set.of("tensors");

    private InspectService() {
    }

    public static Result run(ResolvedModel model, Options o) {
        o.requireOnly(OPTIONS);
        if (!(model instanceof ResolvedModel.Stored stored)) {
            throw new InvalidInputException("'" + model.label() + "' is an architecture description, not stored "
                    + "weights: use 'estimate' for it");
        }
        InspectReport report = InspectReport.of(stored.inventory());
        boolean tensors = o.flag("tensors");
        return new Result(InspectJson.toMap(report, tensors), InspectText.render(report, tensors));
    }
}
