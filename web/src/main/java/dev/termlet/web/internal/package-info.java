/** The web side's internals: not an API. */
package dev.termlet.web.internal;
