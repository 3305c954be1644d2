/**
 * {@code heft serve}: a local web page and a JSON HTTP API over heft-core.
 *
 * <ul>
 *   <li>{@link dev.heft.web.HeftServer}: starts {@code HttpFront}, heft's own small HTTP/1.1 server (deadlines on heads
 *       and bodies, capped connections, workers and bytes in flight: {@link dev.heft.web.ServerLimits}), in front of
 *       the JDK's {@code com.sun.net.httpserver} handler API; {@code RequestHead} parses requests strictly;</li>
 *   <li>{@code ApiHandler}: one endpoint per HTTP operation of {@link dev.heft.core.api.Operations}, each answering
 *       with exactly the command's {@code --json} object; header uploads through {@code Heft.fromHeader}, held by
 *       {@code Uploads} as {@code model: "upload:ID"} for every other endpoint; {@code /api/server} (what the page may
 *       offer) and the error shape {@code {"error", "status"}};</li>
 *   <li>{@code OpenApi}: the {@code openapi.json} document, generated from the operations' parameters and report
 *       records; {@code ApiRequest}: options from a JSON body or query parameters, named as the CLI flags;
 *       {@code ServerModels}: catalog ids, inline configs, uploads and (with {@code --allow-hub}) Hub repos, never a
 *       path;</li>
 *   <li>{@link dev.heft.web.chart}: the page's server-rendered SVG charts; {@code StaticHandler}: the bundled page
 *       (resources {@code static/}: index.html, app.css, and the modules app.js, api.js, format.js, ui.js).</li>
 * </ul>
 */
package dev.heft.web;
