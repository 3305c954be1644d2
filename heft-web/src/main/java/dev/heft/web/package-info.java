/**
 * {@code heft serve}: a local web page and a JSON HTTP API over heft-core.
 *
 * <ul>
 *   <li>{@link dev.heft.web.HeftServer}: starts {@code HttpFront}, heft's own small HTTP/1.1 server (deadlines on heads
 *       and bodies, capped connections, workers and bytes in flight: {@link dev.heft.web.ServerLimits}), in front of
 *       the JDK's {@code com.sun.net.httpserver} handler API; {@code RequestHead} parses requests strictly;</li>
 *   <li>{@code Endpoint}: one constant per CLI command, each answering with exactly the command's {@code --json}
 *       object (a new core service is one line there, plus its entry in {@code openapi.json});</li>
 *   <li>{@code ApiRequest}: options from a JSON body or query parameters, named as the CLI flags;
 *       {@code ServerModels}: catalog ids and inline configs only, never a path;</li>
 *   <li>{@code ApiHandler}: routing, header uploads through {@link dev.heft.core.format.HeaderOnly}, and the error
 *       shape {@code {"error", "status"}}; {@code StaticHandler}: the bundled page (resources {@code static/}).</li>
 * </ul>
 */
package dev.heft.web;
