package dev.termlet.web;

import dev.termlet.event.EventKind;
import dev.termlet.event.EventType;
import dev.termlet.event.EventTypeProvider;
import java.util.List;

/**
 * The share-link events, contributed to the event registry through {@link EventTypeProvider}; Syncplify Server!'s
 * {@code Shr*} handler names are their aliases. Each carries a {@link ShareEvent}. The {@code pre-*} ones are
 * synchronous and refusable: a refusal answers the visitor (or the owner) 403 with the handler's reason.
 */
public final class ShareEvents implements EventTypeProvider {

    private static EventType pre(String name, String alias, String description) {
        return EventType.builder("pre-" + name).aliases(alias).kind(EventKind.PRE).refusable()
                .values(ShareEvent.class).description(description).build();
    }

    private static EventType post(String name, String alias, String description) {
        return EventType.builder(name).aliases(alias).kind(EventKind.POST).values(ShareEvent.class)
                .description(description).build();
    }

    /** Before a share is created. */
    public static final EventType PRE_CREATE = pre("share-create", "BeforeShrCreate",
            "A user is about to create a share link (over HTTPS or with the SSH command share); a handler can refuse"
                    + " it. The ShareEvent's remote address is the owner's.");
    /** After a share was created. */
    public static final EventType CREATE = post("share-create", "AfterShrCreate",
            "A share link was created and saved.");
    /** Before a visitor opens a share. */
    public static final EventType PRE_AUTH = pre("share-auth", "BeforeShrAuthRequest",
            "A visitor is about to open a share link (before its password, if it has one, is checked); a handler can"
                    + " refuse it. Fires once per visit: a visit lasts, in a share-scoped cookie, until it has been"
                    + " idle for an hour.");
    /** A visitor may try to open a share. */
    public static final EventType AUTH_ALLOWED = post("share-auth-allowed", "OnShrAuthRequestAllowed",
            "The server let a visitor try to open a share: the share is live, its owner may use it, the address is"
                    + " not banned and no pre-share-auth handler refused; the password, if any, is checked next.");
    /** A visitor opened a share. */
    public static final EventType AUTH = post("share-auth", "OnShrAuthSuccess",
            "A visitor opened a share link: with the right password, or without one for a share that has none.");
    /** Before a visitor uploads. */
    public static final EventType PRE_UPLOAD = pre("share-upload", "BeforeShrFileUpload",
            "A visitor is about to upload a file into a shared folder (write or upload-only); a handler can refuse it."
                    + " pre-upload and upload fire too, for the owner, with protocol HTTP.");
    /** After a visitor's upload. */
    public static final EventType UPLOAD = post("share-upload", "AfterShrFileUpload",
            "A visitor's upload into a shared folder ended, with the outcome (status 2 and the error when it failed).");
    /** Before a visitor downloads a file. */
    public static final EventType PRE_DOWNLOAD = pre("share-download", "BeforeShrFileDownload",
            "A visitor is about to download a shared file, or a file of a shared folder; a handler can refuse it.");
    /** After a visitor's download. */
    public static final EventType DOWNLOAD = post("share-download", "AfterShrFileDownload",
            "A visitor's download of a file ended, with the outcome.");
    /** Before a visitor downloads a folder as a zip. */
    public static final EventType PRE_ZIP = pre("share-zip", "BeforeShrZipDownload",
            "A visitor is about to download a shared folder (or a subfolder) as a zip file; a handler can refuse it."
                    + " Each file put in the zip fires pre-download and download for the owner.");
    /** After a visitor's zip download. */
    public static final EventType ZIP = post("share-zip", "AfterShrZipDownload",
            "A visitor's zip download ended, with the outcome and the zip's size.");

    /** @return every share event, in the order of the events reference */
    public static List<EventType> all() {
        return List.of(PRE_CREATE, CREATE, PRE_AUTH, AUTH_ALLOWED, AUTH, PRE_UPLOAD, UPLOAD, PRE_DOWNLOAD, DOWNLOAD,
                PRE_ZIP, ZIP);
    }

    /** Used by {@link java.util.ServiceLoader}. */
    public ShareEvents() {}

    @Override
    public List<EventType> eventTypes() {
        return all();
    }
}
