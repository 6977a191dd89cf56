/**
 * The REST admin API under {@code /api/admin/v1}: accounts, live sessions, bans, API keys and a server-sent event
 * stream, described by the OpenAPI document {@code /api/admin/v1/openapi.json}. Not exported.
 */
package dev.termlet.web.internal.admin;
