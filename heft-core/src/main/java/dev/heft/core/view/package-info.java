/**
 * The human views of the reports: each turns a report record into a {@link dev.heft.core.api.render.Document}
 * (fields, titled tables, notes) that the shared renderer prints as text, Markdown or CSV. Views only lay out what the
 * report holds; they compute nothing a JSON reader would not also see.
 */
package dev.heft.core.view;
