/** The service-provider interface through which modules such as termlet-fileops extend the server. */
package dev.termlet.spi;
