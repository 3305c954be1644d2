/**
 * {@code heft serve}: a local web page and a JSON HTTP API over heft-core.
 *
 * <ul>
 *   <li>{@link dev.heft.web.HeftServer}: starts the JDK HTTP server with a bounded pool ({@link dev.heft.web.ServerLimits});</li>
 *   <li>{@code ApiHandler}: one endpoint per HTTP operation of {@link dev.heft.core.api.Operations}, each answering
 *       with exactly the command's {@code --json} object; header uploads through {@code Heft.fromHeader}, held by
 *       {@code Uploads} as {@code model: "upload:ID"} for every other endpoint; {@code /api/server} (what the page may
 *       offer) and the error shape {@code {"error", "status"}};</li>
 *   <li>{@code OpenApi}: the {@code openapi.json} document, generated from the operations' parameters and report
 *       records; {@code ApiRequest}: options from a JSON body or query parameters, named as the CLI flags;
 *       {@code ServerModels}: catalog ids, inline configs and uploads only, never a path;</li>
 *   <li>{@link dev.heft.web.chart}: the page's server-rendered SVG charts; {@code StaticHandler}: the bundled page
 *       (resources {@code static/}: index.html, app.css, and the modules app.js, api.js, format.js, ui.js).</li>
 * </ul>
 */
package dev.heft.web;
