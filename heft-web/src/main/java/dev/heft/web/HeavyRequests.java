package dev.heft.web;

import java.util.Optional;

/**
 * The requests that go to {@link HttpFront}'s heavy lane: a model header upload ({@value ApiHandler#INSPECT_HEADER}: up
 * to 100 MB parsed into as many objects, seconds of CPU) and, when the server allows the Hub, a request whose model is a
 * Hub repo (header reads over the network: seconds of waiting). Everything else (estimate, memory, catalog, the page)
 * is a short computation on a small body and stays in the cheap lane.
 *
 * <p>A request that does not parse is cheap here: its handler answers it 400 at once. Only a server that allows the Hub
 * parses a request here to look for a repo (a second parse of a small body, by the same parser as the handler's, so
 * no escape or percent-encoding of {@code hf://} slips past into the cheap lane).
 */
final class HeavyRequests implements HttpFront.HeavyRule {
    private final boolean hub;
    private final java.util.function.Predicate<String> held;

    /** @param hub whether requests may name Hub repos ({@code heft serve --allow-hub}); refusing one is cheap */
    HeavyRequests(boolean hub) {
        this(hub, id -> false);
    }

    /**
     * @param held whether the server already holds a Hub repo's model ({@link HubModels#isHeld}): a request for it reads
     *             nothing and stays in the cheap lane
     */
    HeavyRequests(boolean hub, java.util.function.Predicate<String> held) {
        this.hub = hub;
        this.held = held;
    }

    @Override
    public boolean byHead(RequestHead head) {
        String path = head.uri().getPath();
        if (ApiHandler.INSPECT_HEADER.equals(path)) {
            return true;
        }
        String query = head.uri().getRawQuery();
        if (!hub || query == null || !api(path)) {
            return false;
        }
        return namesHub(() -> ApiRequest.fromQuery(query));
    }

    @Override
    public boolean byBody(RequestHead head, byte[] body) {
        if (!hub || !api(head.uri().getPath()) || body.length == 0) {
            return false;
        }
        return namesHub(() -> ApiRequest.fromJson(body));
    }

    private static boolean api(String path) {
        return path != null && path.startsWith(ApiHandler.PREFIX);
    }

    private boolean namesHub(java.util.function.Supplier<ApiRequest> parse) {
        Optional<String> model;
        try {
            model = parse.get().model();
        } catch (RuntimeException malformed) {
            return false;
        }
        return model.flatMap(ServerModels::hubRepo).filter(held.negate()).isPresent();
    }
}
