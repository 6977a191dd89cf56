/** Private files for what an application or extension keeps in the data directory: made 0700/0600 at creation, written atomically. */
package dev.termlet.io;
